// Reads a Parquet file with hyparquet (an independent pure-JavaScript reader, npm) and prints it as CSV: the header,
// then one row per record; numbers in JavaScript's shortest round-trip form, BigInt (int64) as integers, NaN as nan.
// Usage: node tools/check_parquet_with_hyparquet.mjs FILE.parquet > OUT.csv   (NODE_PATH or a node_modules with hyparquet)
import { parquetReadObjects, parquetMetadataAsync, asyncBufferFromFile } from 'hyparquet'
const file = await asyncBufferFromFile(process.argv[2])
const meta = await parquetMetadataAsync(file)
const names = meta.schema.slice(1).map(s => s.name)
const rows = await parquetReadObjects({ file })
const cell = v => typeof v === 'number' ? (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v)) : String(v)
const out = [names.join(',')]
for (const r of rows) out.push(names.map(n => cell(r[n])).join(','))
process.stdout.write(out.join('\n') + '\n')
process.stderr.write(`row groups: ${meta.row_groups.length}, rows: ${rows.length}, types: ${meta.schema.slice(1).map(s => s.type).join(' ')}\n`)
