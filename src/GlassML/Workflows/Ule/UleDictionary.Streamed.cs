using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using GlassML.Io;

namespace GlassML.Workflows.Ule;

public sealed partial class UleDictionary
{
    /// <summary>
    /// Reads a dictionary file in one pass without holding it whole: a <see cref="Utf8JsonReader"/> over a buffer that only
    /// grows to the largest single token (one base-64 chunk), the base-64 vectors decoded straight into the index's array,
    /// every other field copied into a small JSON document read by <see cref="FromJson(JsonElement, string, double[])"/>.
    /// Memory is then the vectors plus one chunk, instead of the file, a DOM over it, the decoded chunks and their copy.
    /// Returns null for any file this path does not take (a root that is not an object, vectors before count or
    /// feature_count, vectors that are not base-64 strings or do not fit them, a byte-order mark, …): the caller then reads
    /// the file as one document, so such files give exactly the results and messages they always gave. Malformed JSON is
    /// reported here with the same message.
    /// </summary>
    /// <param name="path">The dictionary file.</param>
    /// <param name="buffer">Initial buffer size in bytes (small ones for tests of the refill logic).</param>
    internal static UleDictionary? LoadStreamed(string path, int buffer = 1 << 20)
    {
        double[]? vectors;
        byte[] rest;
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var s = new StreamedBody(fs, Math.Max(1, buffer));
            if (!s.Run()) return null;
            vectors = s.Vectors;
            rest = s.Rest;
        }
        catch (JsonException) { throw new InputFormatException(path, 0, "not a ULE dictionary (malformed or truncated JSON)"); }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or OverflowException) { return null; }
        using var doc = JsonDocument.Parse(rest);
        return FromJson(doc.RootElement, path, vectors);
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> as one base-64 JSON string value, the same bytes as
    /// <c>w.WriteStringValue(Convert.ToBase64String(bytes))</c>, but encoded and handed to the writer 48 KiB at a time and
    /// flushed every MiB: a string of a whole chunk (up to 44 M characters), its escaped copy (the writer reserves six
    /// characters per character) and the writer's buffer of the whole file are never made.
    /// </summary>
    internal static void WriteBase64(Utf8JsonWriter w, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) { w.WriteStringValue(""); return; }
        const int Segment = 3 << 14;
        var text = ArrayPool<byte>.Shared.Rent(Segment / 3 * 4);
        try
        {
            for (int o = 0; o < bytes.Length; o += Segment)
            {
                var part = bytes.Slice(o, Math.Min(Segment, bytes.Length - o));
                Base64.EncodeToUtf8(part, text, out _, out int written);
                w.WriteStringValueSegment(text.AsSpan(0, written), isFinalSegment: o + part.Length == bytes.Length);
                if (w.BytesPending >= 1 << 20) w.Flush();
            }
        }
        finally { ArrayPool<byte>.Shared.Return(text); }
    }

    /// <summary>The one-pass reader of <see cref="LoadStreamed"/>.</summary>
    private sealed class StreamedBody(FileStream fs, int buffer)
    {
        private readonly long _fileLength = fs.Length;
        private byte[] _buf = new byte[buffer];
        private int _start, _end;
        private bool _final;
        private JsonReaderState _state;
        private readonly ArrayBufferWriter<byte> _sink = new(1 << 16);
        private Utf8JsonWriter? _w;
        private byte[] _scratch = [];
        private int? _count, _features;
        private long _at;   // bytes of vectors decoded so far
        private bool _sawVectors;

        /// <summary>The decoded vectors (null when the file has no vectors_base64).</summary>
        public double[]? Vectors { get; private set; }
        /// <summary>Every field but vectors_base64, as one JSON object.</summary>
        public byte[] Rest => _sink.WrittenSpan.ToArray();

        private enum Phase { Start, Root, VectorArray, End }

        /// <summary>Reads the whole file; false when the file is for the one-document path.</summary>
        public bool Run()
        {
            if (_fileLength >= 3)
            {
                Fill();
                if (_end >= 3 && _buf[0] == 0xEF && _buf[1] == 0xBB && _buf[2] == 0xBF) return false;
            }
            using var w = new Utf8JsonWriter(_sink, new JsonWriterOptions { SkipValidation = true });
            _w = w;
            var phase = Phase.Start;
            while (true)
            {
                var r = new Utf8JsonReader(_buf.AsSpan(_start, _end - _start), _final, _state);
                long done = 0;   // bytes of this buffer that whole units consumed
                while (true)
                {
                    var (ok, next) = Unit(ref r, phase);
                    if (next is null) return false;
                    if (!ok) break;
                    phase = next.Value;
                    done = r.BytesConsumed;
                    _state = r.CurrentState;
                }
                if (_final)
                {
                    if (phase == Phase.End) break;
                    throw new InvalidOperationException("incomplete JSON at the end of the file");   // the reader throws first
                }
                _start += (int)done;
                Fill();
            }
            w.WriteEndObject();
            w.Flush();
            if (_sawVectors && (_count is not int c || _features is not int f || Vectors is null || _at != (long)c * f * 8 || _at != Vectors.LongLength * 8)) return false;
            return true;
        }

        /// <summary>
        /// One unit: the root's start, one field of the root (name and whole value), one element of the vectors array, or
        /// the end. Returns (false, phase) when the buffer does not hold the whole unit (nothing is kept of it), and a null
        /// phase for a file of the one-document path.
        /// </summary>
        private (bool Ok, Phase? Next) Unit(ref Utf8JsonReader r, Phase phase)
        {
            switch (phase)
            {
                case Phase.Start:
                    if (!r.Read()) return (false, phase);
                    if (r.TokenType != JsonTokenType.StartObject) return (false, null);
                    _w!.WriteStartObject();
                    return (true, Phase.Root);
                case Phase.Root:
                {
                    if (!r.Read()) return (false, phase);
                    if (r.TokenType == JsonTokenType.EndObject) return (true, Phase.End);
                    bool vectors = r.ValueTextEquals("vectors_base64"u8);
                    string name = vectors ? "" : r.GetString()!;
                    if (!r.Read()) return (false, phase);
                    if (vectors)
                    {
                        if (_count is not int c || _features is not int f || c <= 0 || f <= 0 || (long)c * f * 8 > _fileLength || (long)c * f > Array.MaxLength) return (false, null);
                        _sawVectors = true;
                        _at = 0;
                        Vectors = new double[(long)c * f];
                        if (r.TokenType == JsonTokenType.StartArray) return (true, Phase.VectorArray);
                        if (r.TokenType != JsonTokenType.String) return (false, null);
                        return Decode(ref r) ? (true, Phase.Root) : (false, null);
                    }
                    int from = (int)r.TokenStartIndex;
                    if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !r.TrySkip()) return (false, phase);
                    var raw = _buf.AsSpan(_start + from, (int)r.BytesConsumed - from);
                    if (name == "count") _count = r.TokenType == JsonTokenType.Number && r.TryGetInt32(out int c) ? c : null;
                    if (name == "feature_count") _features = r.TokenType == JsonTokenType.Number && r.TryGetInt32(out int f) ? f : null;
                    _w!.WritePropertyName(name);
                    _w.WriteRawValue(raw, skipInputValidation: true);
                    return (true, Phase.Root);
                }
                case Phase.VectorArray:
                    if (!r.Read()) return (false, phase);
                    if (r.TokenType == JsonTokenType.EndArray) return (true, Phase.Root);
                    if (r.TokenType != JsonTokenType.String) return (false, null);
                    return Decode(ref r) ? (true, phase) : (false, null);
                default:
                    return r.Read() ? throw new InvalidOperationException("data after the root") : (false, phase);
            }
        }

        /// <summary>Decodes the base-64 string token at the reader into the vectors; false when it is not exactly that.</summary>
        private bool Decode(ref Utf8JsonReader r)
        {
            ReadOnlySpan<byte> text = r.ValueSpan;
            if (r.ValueIsEscaped)
            {
                if (_scratch.Length < text.Length) _scratch = new byte[text.Length];
                text = _scratch.AsSpan(0, r.CopyString(_scratch));
            }
            var dest = MemoryMarshal.AsBytes(Vectors.AsSpan())[(int)Math.Min(_at, int.MaxValue)..];
            if (_at > int.MaxValue) return false;
            var status = Base64.DecodeFromUtf8(text, dest, out int used, out int written, isFinalBlock: true);
            if (status != OperationStatus.Done || used != text.Length) return false;
            _at += written;
            return true;
        }

        /// <summary>Moves the unread bytes to the front and reads more (the buffer doubles when they fill it).</summary>
        private void Fill()
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buf, _start, _buf, 0, _end - _start);
                _end -= _start; _start = 0;
            }
            if (_end == _buf.Length)
            {
                if (_buf.Length >= Array.MaxLength / 2) throw new InvalidOperationException("a JSON token larger than 1 GB");
                Array.Resize(ref _buf, _buf.Length * 2);
            }
            int n = fs.Read(_buf, _end, _buf.Length - _end);
            if (n == 0) _final = true;
            _end += n;
        }
    }
}
