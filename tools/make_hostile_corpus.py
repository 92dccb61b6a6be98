#!/usr/bin/env python3
"""Generates the hostile-input corpus of issue 17: tests/fixtures/hostile/corpus.json.gz.

Every case is a command line plus the small files it needs (inline text). Placeholders, filled in by
tests/GlassML.Tests/Cli/HostileCorpusTests.cs in a fresh temporary directory:
  {D}      the case's directory (all inputs and outputs live there)
  {GLASS}  a copy of tests/fixtures/glass-s1/s1_cu50zr50_500.data.gz (a valid 500-atom Cu50Zr50 glass)
  {POT}    a copy of tests/fixtures/eam/CuZr_mm.eam.fs.gz
Files whose content is {"gen": ...} are made at test time (gzip bombs, huge headers) so the corpus stays small.
Every case must end with exit code 2, one stderr line 'glassml: error: ...', no output file, inputs unchanged.
Run: /usr/bin/python3 tools/make_hostile_corpus.py   (deterministic; no randomness)
"""
import gzip, json, os

HDR = "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n{n}\nITEM: BOX BOUNDS {bc}\n{box}ITEM: ATOMS {cols}\n"
def dump(atoms, n=None, box="0 10\n0 10\n0 10\n", bc="pp pp pp", cols="id type x y z"):
    n = len(atoms) if n is None else n
    return HDR.format(n=n, bc=bc, box=box, cols=cols) + "".join(a + "\n" for a in atoms)

GOOD = ["1 1 1 1 1", "2 2 3 3 3", "3 1 5 5 5", "4 2 7 7 7", "5 1 2 6 4", "6 2 8 2 6"]
def data(atoms=None, head="6 atoms\n2 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n", style="atomic"):
    atoms = atoms if atoms is not None else ["%s" % a for a in GOOD]
    return "title\n\n" + head + "\nAtoms # %s\n\n" % style + "".join(a + "\n" for a in atoms)
def xyz(lines, n=None, comment='Lattice="10 0 0 0 10 0 0 0 10" Properties=species:S:1:pos:R:3 pbc="T T T"'):
    n = len(lines) if n is None else n
    return f"{n}\n{comment}\n" + "".join(l + "\n" for l in lines)
GX = ["Cu 1 1 1", "Zr 3 3 3", "Cu 5 5 5", "Zr 7 7 7", "Cu 2 6 4", "Zr 8 2 6"]

# ---- bad structure files (name -> (file name, content)) ----
bad = {}
bad["dump_truncated"] = ("a.dump", dump(GOOD[:3], n=6))
bad["dump_truncated_header"] = ("a.dump", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n")
bad["dump_empty"] = ("a.dump", "")
bad["dump_only_blank"] = ("a.dump", "\n\n\n")
bad["dump_count_too_small"] = ("a.dump", dump(GOOD, n=4))
bad["dump_count_negative"] = ("a.dump", dump(GOOD, n=-6))
bad["dump_count_garbage"] = ("a.dump", dump(GOOD, n="six"))
bad["dump_count_huge"] = ("a.dump", dump(GOOD, n=2000000000))
bad["dump_count_overflow"] = ("a.dump", dump(GOOD, n=99999999999999999999))
bad["dump_nan_coord"] = ("a.dump", dump(GOOD[:2] + ["3 1 nan 5 5"] + GOOD[3:]))
bad["dump_inf_coord"] = ("a.dump", dump(GOOD[:2] + ["3 1 5 inf 5"] + GOOD[3:]))
bad["dump_garbage_coord"] = ("a.dump", dump(GOOD[:2] + ["3 1 5 5 abc"] + GOOD[3:]))
bad["dump_hex_coord"] = ("a.dump", dump(GOOD[:2] + ["3 1 0x10 5 5"] + GOOD[3:]))
bad["dump_1e300_coord"] = ("a.dump", dump(GOOD[:2] + ["3 1 1e300 5 5"] + GOOD[3:]))
bad["dump_far_outside"] = ("a.dump", dump(GOOD[:2] + ["3 1 1e9 5 5"] + GOOD[3:]))
bad["dump_dup_ids"] = ("a.dump", dump(GOOD[:2] + ["2 1 5 5 5"] + GOOD[3:]))
bad["dump_coincident"] = ("a.dump", dump(GOOD[:2] + ["3 1 3 3 3"] + GOOD[3:]))
bad["dump_type_zero"] = ("a.dump", dump(GOOD[:2] + ["3 0 5 5 5"] + GOOD[3:]))
bad["dump_type_negative"] = ("a.dump", dump(GOOD[:2] + ["3 -1 5 5 5"] + GOOD[3:]))
bad["dump_type_float"] = ("a.dump", dump(GOOD[:2] + ["3 1.5 5 5 5"] + GOOD[3:]))
bad["dump_too_few_fields"] = ("a.dump", dump(GOOD[:2] + ["3 1 5 5"] + GOOD[3:]))
bad["dump_too_many_fields"] = ("a.dump", dump(GOOD[:2] + ["3 1 5 5 5 5"] + GOOD[3:]))
bad["dump_no_coords"] = ("a.dump", dump(["1 1", "2 2"], cols="id type"))
bad["dump_partial_coords"] = ("a.dump", dump(["1 1 1 1", "2 2 2 2"], cols="id type x y"))
bad["dump_no_type"] = ("a.dump", dump(["1 1 1 1", "2 2 2 2"], cols="id x y z"))
bad["dump_dup_column"] = ("a.dump", dump(["1 1 1 1 1 1", "2 2 2 2 2 2"], cols="id type x y z x"))
bad["dump_box_inverted"] = ("a.dump", dump(GOOD, box="10 0\n0 10\n0 10\n"))
bad["dump_box_zero"] = ("a.dump", dump(GOOD, box="0 0\n0 10\n0 10\n"))
bad["dump_box_tiny"] = ("a.dump", dump(GOOD, box="0 1e-12\n0 1e-12\n0 1e-12\n"))
bad["dump_box_nan"] = ("a.dump", dump(GOOD, box="0 nan\n0 10\n0 10\n"))
bad["dump_box_inf"] = ("a.dump", dump(GOOD, box="0 inf\n0 10\n0 10\n"))
bad["dump_box_missing_line"] = ("a.dump", dump(GOOD, box="0 10\n0 10\n"))
bad["dump_box_garbage"] = ("a.dump", dump(GOOD, box="a b\n0 10\n0 10\n"))
bad["dump_tilt_huge"] = ("a.dump", dump(GOOD, bc="xy xz yz pp pp pp", box="0 10 1e6\n0 10 0\n0 10 0\n"))
bad["dump_tilt_nan"] = ("a.dump", dump(GOOD, bc="xy xz yz pp pp pp", box="0 10 nan\n0 10 0\n0 10 0\n"))
bad["dump_tilt_missing"] = ("a.dump", dump(GOOD, bc="xy xz yz pp pp pp", box="0 10\n0 10\n0 10\n"))
bad["dump_bad_boundary"] = ("a.dump", dump(GOOD, bc="pp qq pp"))
bad["dump_density_impossible"] = ("a.dump", dump(GOOD, box="0 0.05\n0 0.05\n0 0.05\n"))
bad["dump_binary_garbage"] = ("a.dump", "\x00\x01\x02\x03garbage\xff\n" * 20)
bad["dump_timestep_garbage"] = ("a.dump", dump(GOOD).replace("TIMESTEP\n0", "TIMESTEP\nzero"))
bad["dump_unknown_item"] = ("a.dump", "ITEM: FOO\n1\n" + dump(GOOD))
bad["dump_second_frame_truncated"] = ("a.dump", dump(GOOD) + dump(GOOD[:2], n=6))
bad["dump_long_line"] = ("a.dump", {"gen": "longline"})
bad["dump_gzip_bomb"] = ("a.dump.gz", {"gen": "bomb"})
bad["dump_gzip_corrupt"] = ("a.dump.gz", {"gen": "corruptgz"})
bad["dump_gzip_truncated"] = ("a.dump.gz", {"gen": "truncgz"})
bad["dump_huge_header_small_file"] = ("a.dump", {"gen": "hugeheader"})
bad["data_truncated"] = ("a.data", data(GOOD[:3]))
bad["data_no_atoms_line"] = ("a.data", data(head="2 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n"))
bad["data_count_huge"] = ("a.data", data(head="2000000000 atoms\n2 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n"))
bad["data_count_negative"] = ("a.data", data(head="-6 atoms\n2 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n"))
bad["data_types_huge"] = ("a.data", data(head="6 atoms\n2000000000 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n"))
bad["data_type_outside"] = ("a.data", data(GOOD[:2] + ["3 3 5 5 5"] + GOOD[3:]))
bad["data_dup_ids"] = ("a.data", data(GOOD[:2] + ["2 1 5 5 5"] + GOOD[3:]))
bad["data_nan"] = ("a.data", data(GOOD[:2] + ["3 1 nan 5 5"] + GOOD[3:]))
bad["data_missing_z"] = ("a.data", data(head="6 atoms\n2 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n"))
bad["data_inverted_box"] = ("a.data", data(head="6 atoms\n2 atom types\n10 0 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n"))
bad["data_tilt_huge"] = ("a.data", data(head="6 atoms\n2 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n1e6 0 0 xy xz yz\n"))
bad["data_bad_style"] = ("a.data", data(style="sphere"))
bad["data_wrong_fields"] = ("a.data", data(GOOD[:2] + ["3 1 5 5"] + GOOD[3:]))
bad["data_extra_atoms"] = ("a.data", data(GOOD + ["7 1 4 4 4"]))
bad["data_no_atoms_section"] = ("a.data", "title\n\n6 atoms\n2 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n")
bad["data_coincident"] = ("a.data", data(GOOD[:2] + ["3 1 3 3 3"] + GOOD[3:]))
bad["data_masses_negative"] = ("a.data", data().replace("\nAtoms", "\nMasses\n\n1 -63.5\n2 91.2\n\nAtoms"))
bad["data_general_triclinic"] = ("a.data", data(head="6 atoms\n2 atom types\n10 0 0 avec\n0 10 0 bvec\n0 0 10 cvec\n0 0 0 abc origin\n"))
bad["xyz_truncated"] = ("a.extxyz", xyz(GX[:3], n=6))
bad["xyz_count_garbage"] = ("a.extxyz", xyz(GX, n="lots"))
bad["xyz_count_huge"] = ("a.extxyz", xyz(GX, n=2000000000))
bad["xyz_nan"] = ("a.extxyz", xyz(GX[:2] + ["Cu nan 5 5"] + GX[3:]))
bad["xyz_bad_lattice"] = ("a.extxyz", xyz(GX, comment='Lattice="10 0 0 0 10 0" Properties=species:S:1:pos:R:3'))
bad["xyz_singular_lattice"] = ("a.extxyz", xyz(GX, comment='Lattice="10 0 0 10 0 0 0 0 10" Properties=species:S:1:pos:R:3'))
bad["xyz_bad_properties"] = ("a.extxyz", xyz(GX, comment='Lattice="10 0 0 0 10 0 0 0 10" Properties=species:S:1:pos:R'))
bad["xyz_huge_width"] = ("a.extxyz", xyz(GX, comment='Lattice="10 0 0 0 10 0 0 0 10" Properties=species:S:1:pos:R:3:f:R:2000000000'))
bad["xyz_no_pos"] = ("a.extxyz", xyz(GX, comment='Lattice="10 0 0 0 10 0 0 0 10" Properties=species:S:1:p:R:3'))
bad["xyz_bad_species"] = ("a.extxyz", xyz(GX[:2] + ["C$u 5 5 5"] + GX[3:]))
bad["xyz_unterminated_quote"] = ("a.extxyz", xyz(GX, comment='Lattice="10 0 0 0 10 0 0 0 10 Properties=species:S:1:pos:R:3'))
bad["xyz_coincident"] = ("a.extxyz", xyz(GX[:2] + ["Cu 3 3 3"] + GX[3:]))
bad["directory_input"] = ("adir", {"gen": "directory"})
bad["missing_input"] = ("nothere.dump", None)

cases = []
def case(name, args, files=None, outputs=None):
    cases.append({"name": name, "args": args, "files": files or {}, "outputs": outputs or []})

OUT = "{D}/out.csv"
T = ["--types", "1:Cu,2:Zr"]
struct_verbs = {
    "info": lambda f: ["info", f],
    "rdf": lambda f: ["rdf", f, "--out", OUT] + T,
    "featurize": lambda f: ["featurize", f, "--features", "voronoi", "--out", OUT] + T,
    "strain_ref": lambda f: ["strain", f, "{GLASS}", "--out", OUT] + T,
    "strain_cur": lambda f: ["strain", "{GLASS}", f, "--out", OUT] + T,
    "displacements": lambda f: ["displacements", f, "--lags", "0.001", "--temperature", "300", "--out", OUT] + T,
    "energy": lambda f: ["energy", f, "--potential", "{POT}", "--out", OUT] + T,
}
for bname, (fname, content) in bad.items():
    files = {} if content is None else {fname: content if isinstance(content, dict) else {"text": content}}
    for vname, mk in struct_verbs.items():
        if vname == "info" or bname.startswith("dump") or vname in ("rdf", "featurize", "energy") or bname in ("missing_input", "directory_input"):
            case(f"{vname}/{bname}", mk("{D}/" + fname), files, [OUT])
# method verbs on bad structures
for bname in ["dump_truncated", "dump_nan_coord", "dump_dup_ids", "dump_box_inverted", "dump_gzip_corrupt", "data_count_huge", "xyz_bad_lattice", "missing_input", "directory_input", "dump_coincident"]:
    fname, content = bad[bname]
    files = {} if content is None else {fname: content if isinstance(content, dict) else {"text": content}}
    f = "{D}/" + fname
    case(f"modes/{bname}", ["modes", f, "--potential", "{POT}", "--out", OUT] + T, files, [OUT])
    case(f"sf_apply/{bname}", ["sf", "apply", f, "--model", "{D}/model.json", "--out", OUT] + T, {**files, "model.json": {"text": "{}"}}, [OUT])
    case(f"bonds_apply/{bname}", ["bonds", "apply", f, "--model", "{D}/model.json", "--out", OUT] + T, {**files, "model.json": {"text": "{}"}}, [OUT])
    case(f"bonds_label/{bname}", ["bonds", "label", f, "--source", "eam", "--potential", "{POT}", "--out", OUT] + T, files, [OUT])
    case(f"tml_apply/{bname}", ["tml", "apply", f, "--model", "{D}/model.json", "--temperature", "300", "--dt", "0.002", "--out", OUT] + T, {**files, "model.json": {"text": "{}"}}, [OUT])
    case(f"ule_apply/{bname}", ["ule", "apply", f, "--model", "{D}/model.json", "--out", OUT] + T, {**files, "model.json": {"text": "{}"}}, [OUT])
    case(f"softness_apply/{bname}", ["softness", "apply", f, "--model", "{D}/model.json", "--out", OUT] + T, {**files, "model.json": {"text": "{}"}}, [OUT])

# absurd parameters on a valid glass
G = "{GLASS}"
absurd = [
    ("rdf_rmax_zero", ["rdf", G, "--rmax", "0"]), ("rdf_rmax_negative", ["rdf", G, "--rmax", "-1"]),
    ("rdf_rmax_nan", ["rdf", G, "--rmax", "nan"]), ("rdf_rmax_inf", ["rdf", G, "--rmax", "inf"]),
    ("rdf_rmax_1e6", ["rdf", G, "--rmax", "1e6"]), ("rdf_bins_zero", ["rdf", G, "--bins", "0"]),
    ("rdf_bins_huge", ["rdf", G, "--bins", "2000000000"]), ("rdf_bins_overflow", ["rdf", G, "--bins", "99999999999"]),
    ("rdf_bins_text", ["rdf", G, "--bins", "many"]), ("rdf_frame_99", ["rdf", G, "--frame", "99"]),
    ("rdf_frame_negative", ["rdf", G, "--frame", "-1"]), ("rdf_frame_text", ["rdf", G, "--frame", "first"]),
    ("rdf_threads_negative", ["rdf", G, "--threads", "-3"]), ("rdf_max_memory_tiny", ["--max-memory", "1K", "rdf", G]),
    ("rdf_max_memory_garbage", ["--max-memory", "lots", "rdf", G]), ("rdf_max_memory_zero", ["--max-memory", "0", "rdf", G]),
    ("featurize_cutoff_60", ["--max-memory", "50M", "featurize", G, "--neighbors", "cutoff", "--cutoff", "60"]),
    ("featurize_cutoff_zero", ["featurize", G, "--neighbors", "cutoff", "--cutoff", "0"]),
    ("featurize_cutoff_nan", ["featurize", G, "--neighbors", "cutoff", "--cutoff", "nan"]),
    ("featurize_bad_family", ["featurize", G, "--features", "nonsense"]),
    ("featurize_bad_neighbors", ["featurize", G, "--neighbors", "sometimes"]),
    ("featurize_bad_mro", ["featurize", G, "--mro", "median"]),
    ("featurize_bad_radii", ["featurize", G, "--radii", "Cu:-1"]),
    ("featurize_bad_shard", ["featurize", G, "--shard", "5/3"]),
    ("strain_cutoff_50", ["strain", G, G, "--cutoff", "50"]), ("strain_cutoff_negative", ["strain", G, G, "--cutoff", "-2"]),
    ("strain_previous_without_all", ["strain", G, G, "--previous"]),
    ("strain_ref_frame_9", ["strain", G, G, "--reference-frame", "9"]),
    ("displacements_no_lags", ["displacements", G, "--lags", "", "--temperature", "300"]),
    ("displacements_negative_lag", ["displacements", G, "--lags", "-1", "--temperature", "300"]),
    ("displacements_zero_temperature", ["displacements", G, "--lags", "0.01", "--temperature", "0"]),
    ("displacements_nan_temperature", ["displacements", G, "--lags", "0.01", "--temperature", "nan"]),
    ("displacements_single_frame", ["displacements", G, "--lags", "0.01", "--temperature", "300"]),
    ("energy_missing_potential", ["energy", G, "--potential", "{D}/none.eam.fs"]),
    ("energy_garbage_potential", ["energy", G, "--potential", "{D}/bad.eam.fs"]),
    ("modes_garbage_potential", ["modes", G, "--potential", "{D}/bad.eam.fs"]),
    ("energy_potential_is_structure", ["energy", G, "--potential", G]),
    ("learn_unknown_learner", ["learn", "nonsense", "--train", "{D}/t.csv", "--target", "y"]),
    ("types_bad", ["rdf", G, "--types", "1=Cu"]), ("types_zero", ["rdf", G, "--types", "0:Cu"]),
    ("types_twice", ["rdf", G, "--types", "1:Cu,1:Zr"]), ("types_bad_label", ["rdf", G, "--types", "1:C$u"]),
    ("unknown_option", ["rdf", G, "--frobnicate"]), ("unknown_verb", ["frobnicate", G]),
    ("missing_argument", ["rdf"]), ("extra_argument", ["info", G, G]),
    ("featurize_soap_without_family", ["featurize", G, "--features", "voronoi", "--soap", "rcut=5"]),
    ("featurize_rsf_without_family", ["featurize", G, "--rsf", "mu=2:6:0.5"]),
    ("vflex_same_run_twice", ["vflex", "{D}/r.data.gz", "{D}/r.data.gz", "--start", G]),
    ("strain_files_do_not_match", ["strain", G, "{D}/six.dump"]),
]
BADPOT = {"bad.eam.fs": {"text": "not a potential\n1 2 3\n"}}
for name, args in absurd:
    full = list(args)
    if full[0] not in ("info", "frobnicate", "learn") and "--out" not in full and not (full[0] == "--max-memory" and False):
        full += ["--out", OUT]
    if "--types" not in full and name not in ("unknown_verb", "missing_argument"): full += T
    case(f"params/{name}", full, {**BADPOT, "t.csv": {"text": "a,y\n1,2\n2,3\n3,4\n"}, "r.data.gz": {"gen": "copy:{GLASS}"},
                                  "six.dump": {"text": dump(GOOD)}}, [OUT])

# output paths that are inputs, devices, symlinks' targets, duplicates
outs = [
    ("rdf_out_is_input", ["rdf", G, "--out", G]), ("rdf_out_dev_null", ["rdf", G, "--out", "/dev/null"]),
    ("rdf_out_dev_full", ["rdf", G, "--out", "/dev/full"]), ("rdf_out_link_to_input", ["rdf", G, "--out", "{D}/link.csv"]),
    ("rdf_out_directory", ["rdf", G, "--out", "{D}"]), ("rdf_out_missing_parent", ["rdf", G, "--out", "{D}/no/such/dir/x.csv"]),
    ("rdf_out_bad_extension", ["rdf", G, "--out", "{D}/out.exe"]),
    ("featurize_out_is_input", ["featurize", G, "--out", G]),
    ("featurize_bonds_is_out", ["featurize", G, "--features", "xtal", "--bonds", OUT, "--out", OUT]),
    ("strain_out_is_reference", ["strain", G, "{D}/cur.data.gz", "--out", G]),
    ("strain_out_is_current", ["strain", G, "{D}/cur.data.gz", "--out", "{D}/cur.data.gz"]),
    ("energy_out_is_potential", ["energy", G, "--potential", "{POT}", "--out", "{POT}"]),
    ("modes_out_is_input", ["modes", G, "--potential", "{POT}", "--out", G]),
    ("info_no_clobber", ["--no-clobber", "rdf", G, "--out", "{D}/exists.csv"]),
    ("learn_model_is_train", ["learn", "gbdt", "--train", "{D}/t.csv", "--target", "y", "--model", "{D}/t.csv"]),
]
for name, args in outs:
    full = list(args)
    if "--types" not in full and full[0] != "learn": full += T
    case(f"outputs/{name}", full, {"t.csv": {"text": "a,y\n1,2\n2,3\n3,4\n4,5\n5,6\n"}, "link.csv": {"gen": "link:{GLASS}"},
                                   "cur.data.gz": {"gen": "copy:{GLASS}"}, "exists.csv": {"text": "keep me\n"}}, [])

# bad CSV tables for learn
CSVS = {
    "empty": "", "header_only": "a,b,y\n", "no_target": "a,b\n1,2\n3,4\n",
    "ragged": "a,b,y\n1,2,3\n4,5\n6,7,8\n", "nan_target": "a,b,y\n1,2,nan\n3,4,5\n5,6,7\n",
    "inf_feature": "a,b,y\n1,inf,3\n3,4,5\n5,6,7\n", "garbage_cell": "a,b,y\n1,x,3\n3,4,5\n5,6,7\n",
    "dup_header": "a,a,y\n1,2,3\n3,4,5\n5,6,7\n", "one_row": "a,b,y\n1,2,3\n",
    "binary": "\x00\x01\x02,\xff\n\x03,\x04\n", "no_features": "y\n1\n2\n3\n",
    "quote_unterminated": 'a,b,y\n"1,2,3\n3,4,5\n', "empty_header_name": "a,,y\n1,2,3\n3,4,5\n5,6,7\n",
    "semicolons": "a;b;y\n1;2;3\n3;4;5\n5;6;7\n",
}
for learner in ["gbdt", "svr", "gpr", "knn", "isotonic"]:
    for cname, text in CSVS.items():
        case(f"learn_{learner}/{cname}", ["learn", learner, "--train", "{D}/t.csv", "--target", "y", "--model", "{D}/m.json"],
             {"t.csv": {"text": text}}, ["{D}/m.json"])
for cname in ["wrong_columns", "nan", "garbage"]:
    test = {"wrong_columns": "c,d,y\n1,2,3\n", "nan": "a,b,y\nnan,2,3\n", "garbage": "a,b,y\nq,2,3\n"}[cname]
    case(f"learn_test/{cname}", ["learn", "gbdt", "--train", "{D}/t.csv", "--test", "{D}/s.csv", "--target", "y", "--model", "{D}/m.json"],
         {"t.csv": {"text": "a,b,y\n" + "".join(f"{i},{i*i % 7},{i % 3}\n" for i in range(30))}, "s.csv": {"text": test}}, ["{D}/m.json"])

# bad model files for the apply verbs
MODELS = {"empty": "", "not_json": "hello", "truncated": '{"kind": "sf", "ver', "array": "[1,2,3]", "null": "null",
          "wrong_kind": '{"kind":"gbdt","version":1}', "binary": "\x00\x01\x02", "huge_number": '{"version": 1e999}',
          "deep": "[" * 5000 + "]" * 5000}
for mname, text in MODELS.items():
    files = {"model.json": {"text": text}}
    case(f"sf_apply_model/{mname}", ["sf", "apply", G, "--model", "{D}/model.json", "--out", OUT] + T, files, [OUT])
    case(f"bonds_apply_model/{mname}", ["bonds", "apply", G, "--model", "{D}/model.json", "--out", OUT] + T, files, [OUT])
    case(f"tml_apply_model/{mname}", ["tml", "apply", G, "--model", "{D}/model.json", "--temperature", "300", "--dt", "0.002", "--out", OUT] + T, files, [OUT])
    case(f"softness_apply_model/{mname}", ["softness", "apply", G, "--model", "{D}/model.json", "--out", OUT] + T, files, [OUT])
    case(f"ule_apply_model/{mname}", ["ule", "apply", G, "--model", "{D}/model.json", "--out", OUT] + T, files, [OUT])
    case(f"ule_compare_model/{mname}", ["ule", "compare", "--model", "{D}/model.json", "--probe", "{D}/f.csv", "--reference", "{D}/f.csv", "--out", OUT],
         {**files, "f.csv": {"text": "sample,u1\na,0.5\n"}}, [OUT])

# bad manifests for the train verbs
MANIFESTS = {"empty": "", "header_only": "file,frame,role,labels\n", "missing_file": "file,frame,role,labels\nnothere.dump,0,train,l.csv\n",
             "bad_role": "file,frame,role,labels\ns.data.gz,0,sometimes,l.csv\n", "bad_frame": "file,frame,role,labels\ns.data.gz,x,train,l.csv\n",
             "garbage": "\x00\x01garbage\n", "ragged": "file,frame,role\ns.data.gz\n", "escape": "file,frame,role,labels\n../../../../etc/passwd,0,train,l.csv\n"}
for mname, text in MANIFESTS.items():
    files = {"samples.csv": {"text": text}, "s.data.gz": {"gen": "copy:{GLASS}"}, "l.csv": {"text": "frame,id_i,id_j,value\n0,1,2,nan\n"}}
    case(f"bonds_train/{mname}", ["bonds", "train", "--samples", "{D}/samples.csv", "--out", "{D}/run"] + T, files, ["{D}/run"])
    case(f"ule_build/{mname}", ["ule", "build", "--samples", "{D}/samples.csv", "--out", "{D}/dict.json"] + T, files, ["{D}/dict.json"])
    case(f"ule_encode/{mname}", ["ule", "encode", "--dict", "{D}/dict.json", "--samples", "{D}/samples.csv", "--out", OUT] + T,
         {**files, "dict.json": {"text": "{}"}}, [OUT])
    case(f"sf_train/{mname}", ["sf", "train", "--samples", "{D}/samples.csv", "--out", "{D}/run"] + T, files, ["{D}/run"])
    case(f"softness_train/{mname}", ["softness", "train", "--samples", "{D}/samples.csv", "--out", "{D}/run"] + T, files, ["{D}/run"])
    case(f"tml_train_manifest/{mname}", ["tml", "train", "--samples", "{D}/samples.csv", "--lags", "0.01", "--dt", "0.002", "--tg", "700", "--out", "{D}/run"] + T,
         files, ["{D}/run"])
for mname, text in list(CSVS.items())[:8]:
    case(f"ule_train/{mname}", ["ule", "train", "--fractions", "{D}/f.csv", "--dict", "{D}/dict.json", "--out", "{D}/run"],
         {"f.csv": {"text": text}, "dict.json": {"text": "{}"}}, ["{D}/run"])
    case(f"tml_analyze/{mname}", ["tml", "analyze", G, "--tml", "{D}/f.csv", "--tg", "700", "--out", "{D}/run"] + T,
         {"f.csv": {"text": text}}, ["{D}/run"])
    case(f"bonds_msd/{mname}", ["bonds", "msd", G, "--groups", "{D}/f.csv", "--out", "{D}/run"] + T, {"f.csv": {"text": text}}, ["{D}/run"])
for tname, targs in [("no_runs", []), ("bad_lags", ["--lags", "x"]), ("negative_dt", ["--dt", "-1"]), ("nan_tg", ["--tg", "nan"])]:
    args = {"--lags": "0.01", "--dt": "0.002", "--tg": "700"}
    for k, v in zip(targs[::2], targs[1::2]): args[k] = v
    man = "file,temperature\nnothere.dump,700\n" if tname == "no_runs" else "file,temperature\ng.data.gz,700\n"
    case(f"tml_train/{tname}", ["tml", "train", "--samples", "{D}/m.csv"] + sum(([k, v] for k, v in args.items()), []) + ["--out", "{D}/run"] + T,
         {"m.csv": {"text": man}, "g.data.gz": {"gen": "copy:{GLASS}"}}, ["{D}/run"])

# merge and report on bad directories
DIRS = {"empty": {}, "garbage_run_json": {"run/run.json": {"text": "garbage"}}, "no_parts": {"run/x.txt": {"text": "x"}},
        "bad_part": {"run/part-0.csv": {"text": "\x00\x01"}}, "missing": None}
for dname, files in DIRS.items():
    fs = {k: v for k, v in (files or {}).items()}
    if files is not None: fs.setdefault("run/.keep", {"text": ""})
    case(f"merge/{dname}", ["merge", "{D}/run", "--out", OUT], fs, [OUT])
    case(f"report/{dname}", ["report", "{D}/run"], fs, ["{D}/run/report.html"])
    case(f"sf_report/{dname}", ["sf", "report", "{D}/run"], fs, ["{D}/run/report.html"])
    case(f"bonds_report/{dname}", ["bonds", "report", "{D}/run"], fs, ["{D}/run/report.html"])
    case(f"tml_report/{dname}", ["tml", "report", "{D}/run"], fs, ["{D}/run/report.html"])
    case(f"ule_report/{dname}", ["ule", "report", "{D}/run"], fs, ["{D}/run/report.html"])
    case(f"softness_report/{dname}", ["softness", "report", "{D}/run"], fs, ["{D}/run/report.html"])
    case(f"vflex/{dname}", ["vflex", "{D}/run", "--start", G, "--out", OUT] + T, fs, [OUT])

# ---- method verbs: absurd options, wrong models, outputs that are inputs or devices (issue 17, second pass) ----
SOFT_MAN = {"m.csv": {"text": "file,role,group,condition\ng1.data.gz,train,a,x\ng2.data.gz,test,b,x\n"}, "g1.data.gz": {"gen": "copy:{GLASS}"},
            "g2.data.gz": {"gen": "copy:{GLASS}"}}
VFLEX = "id,v_flex\n" + "".join(f"{i},{1 + (i * 37 % 100) / 50}\n" for i in range(1, 501))   # the test glass has ids 1..500
SF_MAN = {"m.csv": {"text": "file,vflex\ng.data.gz,v.csv\n"}, "g.data.gz": {"gen": "copy:{GLASS}"}, "v.csv": {"text": VFLEX}}
ULE_MAN = {"m.csv": {"text": "file,frame,energy,group,role\ng1.data.gz,0,-2000,a,train\ng2.data.gz,0,-2001,b,train\n"}, "g1.data.gz": {"gen": "copy:{GLASS}"},
           "g2.data.gz": {"gen": "copy:{GLASS}"}}
BOND_MAN = {"m.csv": {"text": "file,frame,role,labels\ng.data.gz,0,train,l.csv\n"}, "g.data.gz": {"gen": "copy:{GLASS}"},
            "l.csv": {"text": "frame,id_i,id_j,value\n0,1,2,0.5\n"}}
TML_MAN = {"m.csv": {"text": "file,temperature\ng.data.gz,700\n"}, "g.data.gz": {"gen": "copy:{GLASS}"}}
FRAC = {"f.csv": {"gen": "ule-fractions"}, "dict.json": {"gen": "ule-dict"}}
TMLCSV = {"t.csv": {"text": "id,tml,liquid_like\n" + "".join(f"{i},{500 + i},{int(500 + i > 700)}\n" for i in range(1, 501))}}
GROUPS = {"grp.csv": {"text": "id,species,bond_class\n1,Cu,0\n2,Zr,1\n"}}
method_absurd = [
    ("softness_train", ["softness", "train", "--samples", "{D}/m.csv", "--out", "{D}/run"] + T, SOFT_MAN, [
        ("strain_negative", ["--strain", "-1"]), ("strain_nan", ["--strain", "nan"]), ("axis_w", ["--axis", "w"]),
        ("d2_median", ["--d2", "median"]), ("cutoff_zero", ["--cutoff", "0"]), ("cutoff_1e6", ["--cutoff", "1e6"]),
        ("d2_threshold_nan", ["--d2-threshold", "nan"]), ("plastic_fraction_2", ["--plastic-fraction", "2"]),
        ("inner_negative", ["--inner", "-1"]), ("features_nonsense", ["--features", "nonsense"]), ("cascade_nonsense", ["--cascade", "nonsense=3"]),
        ("cv_zero", ["--cv", "0"]), ("cv_huge", ["--cv", "2000000000"]), ("search_garbage", ["--search", "random:-1"]),
        ("gbdt_garbage", ["--gbdt", "max_depth=-4"]), ("bootstrap_negative", ["--bootstrap", "-1"]), ("single_frame_glass", []),
        ("threads_negative", ["--threads", "-2"])]),
    ("sf_train", ["sf", "train", "--samples", "{D}/m.csv", "--out", "{D}/run"] + T, SF_MAN, [
        ("c_negative", ["--c", "-1"]), ("epsilon_nan", ["--epsilon", "nan"]), ("tolerance_zero", ["--tolerance", "0"]), ("test_2", ["--test", "2"]),
        ("split_weird", ["--split", "weird"]), ("folds_negative", ["--folds", "-1"]), ("sweep_garbage", ["--sweep", "C=x"]),
        ("rp_nonsense", ["--rp", "nonsense"]), ("nan_vflex", []), ("data_bad_pair", ["--data", "{D}/g.data.gz"])]),
    ("ule_build", ["ule", "build", "--samples", "{D}/m.csv", "--out", "{D}/dict.json"] + T, ULE_MAN, [
        ("threshold_2", ["--threshold", "2"]), ("threshold_nan", ["--threshold", "nan"]), ("zeta_zero", ["--zeta", "0"]),
        ("similarity_weird", ["--similarity", "weird"]), ("soap_negative_rcut", ["--soap", "r_cut=-1"]), ("soap_huge_lmax", ["--soap", "l_max=100000"]),
        ("target_count_zero", ["--target-count", "0"]), ("soap_garbage", ["--soap", "what"]), ("vectors_is_input", ["--vectors", "{D}/m.csv"]),
        ("out_dev_full", ["--out", "/dev/full"])]),
    ("ule_encode", ["ule", "encode", "--dict", "{D}/dict.json", "--samples", "{D}/m.csv", "--out", OUT] + T, {**ULE_MAN, "dict.json": {"text": "{}"}}, [
        ("out_is_dict", ["--out", "{D}/dict.json"]), ("atoms_is_file", ["--atoms", "{D}/m.csv"]), ("atoms_dev", ["--atoms", "/dev/null"])]),
    ("ule_train", ["ule", "train", "--fractions", "{D}/f.csv", "--dict", "{D}/dict.json", "--out", "{D}/run"], FRAC, [
        ("cv_zero", ["--cv", "0"]), ("top_zero", ["--top", "0"]), ("window_negative", ["--window", "-1"]), ("search_garbage", ["--search", "bayes:x"]),
        ("gbdt_garbage", ["--gbdt", "eta=-1"]), ("out_is_fractions", ["--out", "{D}/f.csv"])]),
    ("ule_compare", ["ule", "compare", "--model", "{D}/model.json", "--probe", "{D}/f.csv", "--reference", "{D}/f.csv", "--out", OUT],
        {**FRAC, "model.json": {"gen": "model:ule"}}, [("window_nan", ["--window", "nan"]), ("out_is_probe", ["--out", "{D}/f.csv"]), ("fractions_not_model", [])]),
    ("tml_train", ["tml", "train", "--samples", "{D}/m.csv", "--lags", "0.01", "--dt", "0.002", "--tg", "700", "--out", "{D}/run"] + T, TML_MAN, [
        ("k_zero", ["--k", "0"]), ("cv_one", ["--cv", "1"]), ("classes_garbage", ["--classes", "x,y"]), ("drop_lags_weird", ["--drop-lags", "sometimes"]),
        ("max_per_class_negative", ["--max-per-class", "-1"]), ("relieff_negative", ["--relieff-samples", "-1"]), ("group_by_weird", ["--group-by", "x"]),
        ("starts_garbage", ["--starts", "a,b"]), ("lags_huge", ["--lags", "1e300"]), ("model_is_manifest", ["--model", "{D}/m.csv"]),
        ("model_dev_full", ["--model", "/dev/full"]), ("single_frame", [])]),
    ("tml_analyze", ["tml", "analyze", G, "--tml", "{D}/t.csv", "--tg", "700", "--out", "{D}/run"] + T, TMLCSV, [
        ("top_2", ["--top", "2"]), ("tg_nan", ["--tg", "nan"]), ("cutoff_negative", ["--cutoff", "-1"]), ("cutoff_60", ["--max-memory", "50M", "--cutoff", "60"]),
        ("start_missing", ["--start", "99"]), ("radii_bad", ["--radii", "Cu:-1"]), ("out_is_tml", ["--out", "{D}/t.csv"]), ("ids_do_not_match", [])]),
    ("bonds_train", ["bonds", "train", "--samples", "{D}/m.csv", "--out", "{D}/run"] + T, BOND_MAN, [
        ("per_type_zero", ["--per-type", "0"]), ("params_negative", ["--params", "theta=-1"]), ("test_fraction_2", ["--test-fraction", "2"]),
        ("cutoffs_negative", ["--bond-cutoffs", "Cu-Cu:-1"]), ("curve_garbage", ["--learning-curve", "x"]), ("repeats_zero", ["--repeats", "0"]),
        ("soap_garbage", ["--soap", "rcut=nan"]), ("one_label", [])]),
    ("bonds_label", ["bonds", "label", G, "--out", OUT] + T, {"l.csv": {"text": "frame,id_i,id_j,value\n0,1,99999,1\n"}}, [
        ("source_weird", ["--source", "weird"]), ("csv_without_labels", ["--source", "csv"]), ("lobster_without_icohp", ["--source", "lobster"]),
        ("eam_without_potential", ["--source", "eam"]), ("labels_unknown_id", ["--source", "csv", "--labels", "{D}/l.csv"]),
        ("icohp_garbage", ["--source", "lobster", "--icohp", "{D}/l.csv"]), ("cutoffs_garbage", ["--source", "eam", "--potential", "{POT}", "--bond-cutoffs", "x"]),
        ("out_is_labels", ["--source", "csv", "--labels", "{D}/l.csv", "--out", "{D}/l.csv"])]),
    ("bonds_msd", ["bonds", "msd", "{D}/w.dump", "--groups", "{D}/grp.csv", "--out", "{D}/run"] + T, {**GROUPS, "w.dump": {"text": dump(GOOD) + dump(GOOD).replace("TIMESTEP\n0", "TIMESTEP\n10")}}, [
        ("axis_w", ["--axis", "w"]), ("dt_zero", ["--dt", "0"]), ("min_group_negative", ["--min-group", "-1"]), ("group_column_missing", ["--group-column", "nope"]),
        ("wrapped_no_images", [])]),
    ("energy", ["energy", G, "--potential", "{POT}", "--out", OUT] + T, {}, [
        ("format_weird", ["--format", "weird"]), ("frame_99", ["--frame", "99"]), ("format_alloy_for_fs", ["--format", "alloy"]),
        ("out_dev_full", ["--out", "/dev/full"]), ("out_parquet", ["--out", "{D}/x.parquet"])]),
    ("modes", ["modes", G, "--potential", "{POT}", "--out", OUT] + T, {}, [
        ("fraction_zero", ["--fraction", "0"]), ("fraction_2", ["--fraction", "2"]), ("solver_weird", ["--solver", "weird"]),
        ("table_txt", ["--modes-out", "{D}/t.txt"]), ("table_is_input", ["--modes-out", G]), ("table_is_out", ["--modes-out", OUT]),
        ("stdout_without_table", ["--out", "-"])]),
    ("vflex", ["vflex", "{D}/r1.dump", "{D}/r2.dump", "--start", "{D}/r1.dump", "--out", OUT] + T,
        {"r1.dump": {"text": dump(GOOD) + dump(GOOD).replace("TIMESTEP\n0", "TIMESTEP\n10")}, "r2.dump": {"text": dump(GOOD) + dump(GOOD).replace("TIMESTEP\n0", "TIMESTEP\n10")}}, [
        ("neighbors_weird", ["--neighbors", "weird"]), ("cutoff_negative", ["--neighbors", "cutoff", "--cutoff", "-1"]), ("out_is_run", ["--out", "{D}/r2.dump"]),
        ("radii_garbage", ["--radii", "Cu"])]),
    ("displacements", ["displacements", "{D}/w.dump", "--lags", "0.01", "--dt", "0.001", "--temperature", "300", "--out", OUT] + T,
        {"w.dump": {"text": dump(GOOD) + dump(GOOD).replace("TIMESTEP\n0", "TIMESTEP\n10")}}, [
        ("unwrap_images_without_flags", ["--unwrap", "images"]), ("unwrap_weird", ["--unwrap", "weird"]), ("msd_is_out", ["--msd", OUT]),
        ("msd_is_input", ["--msd", "{D}/w.dump"]), ("origin_garbage", ["--origin", "x"])]),
    ("merge", ["merge", "{D}/run", "--out", OUT], {"run/part-0.csv": {"text": "a\n"}}, [
        ("out_is_part", ["--out", "{D}/run/part-0.csv"]), ("two_dirs_same", ["{D}/run"]), ("out_dev_full", ["--out", "/dev/full"])]),
    ("slurm", ["slurm", "--array", "2", "--scripts", "{D}/s", "--", "featurize", G, "--out", OUT] + T, {}, [
        ("array_zero", ["--array", "0"]), ("array_huge", ["--array", "2000000000"]), ("no_out", ["--", "info", G]),
        ("with_shard", ["--", "featurize", G, "--shard", "1/2", "--out", OUT]), ("stdout", ["--", "featurize", G, "--out", "-"]),
        ("scripts_is_file", ["--scripts", G]), ("scripts_dev", ["--scripts", "/dev/null"])]),
    ("stdout", ["rdf", G, "--out", OUT] + T, {}, [
        ("parquet", ["--out", "-.parquet"]), ("npy", ["featurize", "--out", "-.npy"]), ("gz", ["--out", "-.csv.gz"]),
        ("two_outputs", ["featurize", "--features", "xtal", "--bonds", "-", "--out", "-"]),
        ("run_directory", ["sf-train"]), ("demo_folder", ["demo"])]),
]
for group, base, files, variants in method_absurd:
    for vname, extra_args in variants:
        args = list(base)
        if group == "stdout" and extra_args and extra_args[0] in ("featurize", "sf-train", "demo"):
            args = {"featurize": ["featurize", G] + T, "sf-train": ["sf", "train", "--samples", "{D}/none.csv", "--out", "-"],
                    "demo": ["demo", "--out", "-"]}[extra_args[0]]
            extra_args = extra_args[1:]
        if group == "slurm" and "--" in extra_args:
            args = args[:args.index("--")]
        elif group == "merge" and vname == "two_dirs_same":
            args = ["merge", "{D}/run", "{D}/run", "--out", OUT]
            extra_args = []
        # an option given in the variant replaces the base one (each single-valued option once)
        stop = args.index("--") if "--" in args else len(args)
        for k in range(0, len(extra_args) - 1):
            o = extra_args[k]
            if o.startswith("--") and len(o) > 2 and o in args[:stop]:
                i = args.index(o); del args[i:i + 2]; stop -= 2
        if "--" in args:   # slurm: its own options go before '--'
            i = args.index("--"); args = args[:i] + extra_args + args[i:]; extra_args = []
        fs = dict(files)
        if group == "tml_analyze" and vname == "ids_do_not_match": fs = {"t.csv": {"text": "id,tml,liquid_like\n999999,800,1\n"}}
        if group == "sf_train" and vname == "nan_vflex": fs = {**SF_MAN, "v.csv": {"text": "".join("7,nan\n" if l.startswith("7,") else l + "\n" for l in VFLEX.splitlines())}}
        if group == "bonds_train" and vname == "one_label": fs = {**BOND_MAN, "l.csv": {"text": "frame,id_i,id_j,value\n0,1,2,nan\n"}}
        if group == "ule_compare" and vname == "fractions_not_model": fs = {**FRAC, "model.json": {"gen": "copy-rel:f.csv"}}
        outs = [OUT, "{D}/run", "{D}/dict.json", "{D}/s"]
        case(f"{group}/{vname}", args + extra_args, fs, outs)

# shipped models given to the wrong method, truncated, or with a damaged number
for verb, model, extra_args in [("sf", "softness", []), ("softness", "sf", []), ("bonds", "tml", []), ("tml", "bonds", ["--temperature", "300", "--dt", "0.002", "--starts", "0"]),
                                ("ule", "sf", [])]:
    base = [verb, "apply", G, "--model", "{D}/model.json", "--out", OUT] + extra_args + T
    case(f"wrong_model/{verb}_apply_given_{model}", base, {"model.json": {"gen": f"model:{model}"}}, [OUT])
    case(f"wrong_model/{verb}_apply_truncated", base, {"model.json": {"gen": f"model-truncated:{verb}"}}, [OUT])
    case(f"wrong_model/{verb}_apply_nan_number", base, {"model.json": {"gen": f"model-nan:{verb}"}}, [OUT])
    case(f"wrong_model/{verb}_apply_out_is_model", [verb, "apply", G, "--model", "{D}/model.json", "--out", "{D}/model.json"] + extra_args + T,
         {"model.json": {"gen": f"model:{verb}"}}, [])
    case(f"wrong_model/{verb}_apply_out_dev_full", [verb, "apply", G, "--model", "{D}/model.json", "--out", "/dev/full"] + extra_args + T,
         {"model.json": {"gen": f"model:{verb}"}}, [])

case("wrong_model/softness_apply_overflowing_trees", ["softness", "apply", G, "--model", "{D}/model.json", "--out", OUT] + T,
     {"model.json": {"gen": "model-compact-huge:softness"}}, [OUT])

# failing runs whose outputs are in missing folders leave no folder behind
for name, args, fs in [
    ("rdf_bad_input", ["rdf", "{D}/a.dump", "--out", "{D}/no/such/x.csv"] + T, {"a.dump": {"text": dump(GOOD[:3], n=6)}}),
    ("sf_train_bad_manifest", ["sf", "train", "--samples", "{D}/m.csv", "--out", "{D}/p/q/run"] + T,
     {**SF_MAN, "v.csv": {"text": "".join("7,nan\n" if l.startswith("7,") else l + "\n" for l in VFLEX.splitlines())}}),
    ("softness_train_single_frame", ["softness", "train", "--samples", "{D}/m.csv", "--out", "{D}/p/q/run"] + T, SOFT_MAN),
    ("tml_analyze_ids", ["tml", "analyze", G, "--tml", "{D}/t.csv", "--tg", "700", "--out", "{D}/p/q/run"] + T, {"t.csv": {"text": "id,tml,liquid_like\n999999,800,1\n"}}),
    ("ule_encode_second_sample_bad", ["ule", "encode", "--dict", "{D}/dict.json", "--samples", "{D}/m2.csv", "--atoms", "{D}/p/atoms", "--out", "{D}/p/f.csv"] + T,
     {**ULE_MAN, "dict.json": {"gen": "ule-dict"}, "m2.csv": {"text": "file,frame,energy,group,role\ng.data.gz,0,-2000,a,train\nbad.dump,0,-2001,b,train\n"},
      "bad.dump": {"text": dump(GOOD[:3], n=6)}}),
]:
    case(f"missing_parent/{name}", args, fs, [])

names = [c["name"] for c in cases]
assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1]
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "tests", "fixtures", "hostile", "corpus.json.gz")
with gzip.GzipFile(out, "wb", mtime=0) as f:
    f.write(json.dumps({"cases": cases}, indent=0, sort_keys=True).encode("utf-8"))
print(len(cases), "cases ->", os.path.normpath(out))
