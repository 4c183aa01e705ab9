#!/usr/bin/env python3
"""Regenerates src/catalog/dpkg-bookworm.txt from the dpkg database of a Debian system.

Usage (on Debian 12, with every listed package installed), from the repository root:
    scripts/catalog-dpkg.py scripts/catalog-dpkg-base.txt scripts/catalog-dpkg-extra.txt \
        > src/catalog/dpkg-bookworm.txt

BASE packages (the debian:bookworm image's set) keep their whole file lists; EXTRA
packages (what the python, node, golang, nginx and buildpack-deps layers install)
keep their first CAP files, programs and libraries first, with sizes scaled so the
package's total stays real. Message catalogues become one `%locale` line per package,
translated manuals and most of zoneinfo are left out. The line format is described
in src/catalog/manifest.rs.
"""
import collections, os, re, stat, subprocess, sys

CAP = 30
MERGED = {"/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"}
KEEP_ZONES = re.compile(r"^/usr/share/zoneinfo/(Etc/|Europe/|[A-Z][A-Za-z0-9+-]*$|zone.*tab|tzdata.zi|leap)")
FIELDS = ["Package", "Version", "Priority", "Section", "Installed-Size", "Architecture",
          "Maintainer", "Source", "Depends", "Pre-Depends", "Essential", "Multi-Arch",
          "binary:Summary"]


def header(pkg):
    fmt = "\t".join("${%s}" % f for f in FIELDS)
    out = subprocess.run(["dpkg-query", "-W", "-f", fmt, pkg], capture_output=True, text=True, check=True).stdout
    f = out.split("\t")
    for i in (10, 11):
        if f[i] == "no":
            f[i] = ""
    return "p\t" + "\t".join(f)


def entries(pkg):
    """(dir, line, size) per kept file of the package, in dpkg's order."""
    paths = subprocess.run(["dpkg", "-L", pkg], capture_output=True, text=True, check=True).stdout.split("\n")
    out, domains, loc_n, loc_size = [], collections.Counter(), 0, 0
    for path in paths:
        if not path.startswith("/") or path == "/." or path in MERGED:
            continue
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            continue
        if stat.S_ISDIR(st.st_mode):
            continue
        if path.startswith("/usr/share/locale/") and "/LC_MESSAGES/" in path:
            domains[os.path.basename(path)] += 1
            loc_n, loc_size = loc_n + 1, loc_size + st.st_size
            continue
        if path.startswith("/usr/share/man/") and not re.match(r"^/usr/share/man/man\d", path):
            continue
        if path.startswith("/usr/share/zoneinfo/") and not KEEP_ZONES.match(path):
            continue
        d, name = os.path.split(path)
        if stat.S_ISLNK(st.st_mode):
            out.append((d.lstrip("/"), "%s@%s" % (name, os.readlink(path)), 0))
        elif stat.S_ISREG(st.st_mode):
            mode = stat.S_IMODE(st.st_mode)
            m = "" if mode == 0o644 else (" x" if mode == 0o755 else " %o" % mode)
            out.append((d.lstrip("/"), "%s %d%s" % (name, st.st_size, m), st.st_size))
    if loc_n:
        out.append((None, "%%locale %d %d %s" % (loc_n, loc_size, domains.most_common(1)[0][0]), 0))
    return out


def trimmed(files):
    def rank(f):
        d, line, _ = f
        if d is None:
            return 0
        if d.startswith(("usr/bin", "usr/sbin")):
            return 1
        return 2 if ".so" in line else (3 if d.startswith("usr/share/doc") else 4)
    keep = sorted(sorted(range(len(files)), key=lambda i: (rank(files[i]), i))[:CAP])
    total, kept = sum(f[2] for f in files), sum(files[i][2] for i in keep)
    scale = total / kept if kept else 1
    out = []
    for i in keep:
        d, line, size = files[i]
        if size and scale != 1:
            name, _, rest = line.split(" ", 2) + [""] * (2 - line.count(" "))
            line = ("%s %d %s" % (name, int(size * scale), rest)).rstrip()
        out.append((d, line, size))
    return out


def main():
    base = open(sys.argv[1]).read().split()
    extra = [p for p in open(sys.argv[2]).read().split() if p not in base]
    print('# Debian 12 "bookworm" amd64 packages: the dpkg fields and file lists of a')
    print("# Debian 12 system, so names, versions and sizes are real. Regenerate with")
    print("# scripts/catalog-dpkg.py; the line forms are described in manifest.rs.")
    for pkg in sorted(set(base) | set(extra)):
        print(header(pkg))
        files = entries(pkg)
        if pkg not in base and len(files) > CAP:
            files = trimmed(files)
        cwd = None
        for d, line, _ in files:
            if d is not None and d != cwd:
                print(">" + d)
                cwd = d
            print(line)


if __name__ == "__main__":
    main()
