# common/proto.h says who may send each message type to whom, and the
# monitor's tables of what each process may send it (struct proc_msg,
# each headed by a comment naming its "FROM -> MON") are the rule: the
# two must agree.  Every "X -> MON" type is in X's table and no other,
# every type in a table is declared "X -> MON" for that table's X (RUN
# means any kind of runner, so a RUN type may be in several), and a
# type a table allows only once says "once" in proto.h.
. "$(dirname "$0")/test-exec.sh"
command -v python3 > /dev/null || skip "no python3"
python3 - "$TOP" <<'PY' > "$OBJ/proto.out" 2>&1 || fail "$(cat "$OBJ/proto.out")"
import glob, re, sys
top = sys.argv[1]
proto = open(top + "/common/proto.h").read()
declared = {}
for m in re.finditer(r"^\t(IMSG_[A-Z_]+),\s*/\*\s*([A-Z]+) -> ([A-Z]+):"
    r"(.*?)\*/", proto, re.M | re.S):
	declared[m.group(1)] = (m.group(2), m.group(3), m.group(4))
enum = re.search(r"enum imsg_type \{(.*?)\};", proto, re.S).group(1)
types = re.findall(r"^\t(IMSG_[A-Z_]+)", enum, re.M)
errs = []
for t in types:
	if t not in ("IMSG_NONE", "IMSG_MAX") and t not in declared:
		errs.append("%s: no FROM -> TO in proto.h" % t)
tables = {}
for f in sorted(glob.glob(top + "/monitor/*.c")):
	src = open(f).read()
	for m in re.finditer(r'"([A-Z]+) -> MON"[^\n]*\n(?:[^\n]*\n)*?'
	    r"static const struct proc_msg (\w+)\[\] = \{(.*?)\n\};", src,
	    re.S):
		rows = [(r[0], "PM_ONCE" in r[1]) for r in re.findall(
		    r"\{ (IMSG_[A-Z_]+),([^}]*)\}", m.group(3), re.S)]
		tables[m.group(2)] = (m.group(1), rows, f)
	n = len(re.findall(r"struct proc_msg \w+\[\] = \{", src))
	if n != len([t for t in tables.values() if t[2] == f]):
		errs.append("%s: a proc_msg table without its \"X -> MON\" "
		    "comment" % f)
if not tables:
	errs.append("no proc_msg tables found in monitor/")
intable = {}
for name, (frm, rows, f) in tables.items():
	for t, once in rows:
		intable.setdefault(t, []).append(frm)
		d = declared.get(t)
		if d is None or d[0] != frm or d[1] != "MON":
			errs.append("%s: in %s (%s -> MON) but proto.h says %s" %
			    (t, name, frm, "%s -> %s" % d[:2] if d else
			    "nothing"))
		elif once and "once" not in d[2]:
			errs.append("%s: %s allows it once; proto.h does not "
			    "say so" % (t, name))
# RUN is every kind of runner: a type may be in each runner's table.
for t, (frm, to, _) in declared.items():
	got = intable.get(t) or []
	if to == "MON" and (not got or set(got) != {frm} or
	    (frm != "RUN" and len(got) != 1)):
		errs.append("%s: proto.h says %s -> MON, tables say %s" %
		    (t, frm, intable.get(t)))
for e in errs:
	print(e)
print("%d types, %d tables checked" % (len(types), len(tables)))
sys.exit(1 if errs else 0)
PY
cat "$OBJ/proto.out"
pass
