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
    ("missing_argument", ["rdf"]), ("extra_argument", ["softness", "apply", G, G]),
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
    case(f"sf_train/{mname}", ["sf", "train", "--runs", "{D}/samples.csv", "--out", "{D}/run"] + T, files, ["{D}/run"])
for mname, text in list(CSVS.items())[:8]:
    case(f"ule_train/{mname}", ["ule", "train", "--fractions", "{D}/f.csv", "--dict", "{D}/dict.json", "--out", "{D}/run"],
         {"f.csv": {"text": text}, "dict.json": {"text": "{}"}}, ["{D}/run"])
    case(f"tml_analyze/{mname}", ["tml", "analyze", G, "--tml", "{D}/f.csv", "--tg", "700", "--out", "{D}/run"] + T,
         {"f.csv": {"text": text}}, ["{D}/run"])
    case(f"bonds_msd/{mname}", ["bonds", "msd", G, "--groups", "{D}/f.csv", "--out", "{D}/run"] + T, {"f.csv": {"text": text}}, ["{D}/run"])
for tname, targs in [("no_runs", []), ("bad_lags", ["--lags", "x"]), ("negative_dt", ["--dt", "-1"]), ("nan_tg", ["--tg", "nan"])]:
    args = {"--lags": "0.01", "--dt": "0.002", "--tg": "700"}
    for k, v in zip(targs[::2], targs[1::2]): args[k] = v
    runs = ["{D}/nothere.dump"] if tname == "no_runs" else ["{GLASS}"]
    case(f"tml_train/{tname}", ["tml", "train"] + runs + sum(([k, v] for k, v in args.items()), []) + ["--out", "{D}/run"] + T, {}, ["{D}/run"])

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

names = [c["name"] for c in cases]
assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1]
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "tests", "fixtures", "hostile", "corpus.json.gz")
with gzip.GzipFile(out, "wb", mtime=0) as f:
    f.write(json.dumps({"cases": cases}, indent=0, sort_keys=True).encode("utf-8"))
print(len(cases), "cases ->", os.path.normpath(out))
