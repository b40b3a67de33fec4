#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn this repository into a kernel patch series and a patched source tree.

The repository holds the final state of every file the series adds (at its
kernel-tree path) and, in series/, one entry per commit: a message, the files
the commit adds, and optionally a diff.  A diff describes the commit's changes
to files the repository does not own (security/Kconfig, ...) and, where a
later commit extends a file an earlier one added, its changes to that file.

Since the repository holds final states, trees are built backwards: the last
tree is the base plus every diff to kernel files plus every repository file;
each earlier tree is the next one with that commit's diff reverse-applied and
its added files removed.  The first tree must come out equal to the base, which
proves the diffs are consistent.  All of it happens in a private git object
store, so nothing is checked out but the result.

Commands:
  tree     build the commits, write the patches to --out, update --src
  list     print the files the repository owns (one per line)
"""

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

AUTHOR_DATE = "2026-11-22T12:00:00+00:00"


def die(msg):
    print(f"series: {msg}", file=sys.stderr)
    sys.exit(1)


class Commit:
    def __init__(self, name):
        self.name = name
        self.adds = []
        self.msg = None
        self.diff = None  # text or None


class Series:
    """Parse series/series."""

    def __init__(self, repo):
        self.repo = repo
        self.dir = os.path.join(repo, "series")
        self.commits = []
        self.author = None
        self.prefix = "PATCH"
        path = os.path.join(self.dir, "series")
        cur = None
        with open(path) as f:
            for lineno, raw in enumerate(f, 1):
                line = raw.split("#", 1)[0].rstrip()
                if not line:
                    continue
                key, _, val = line.strip().partition(" ")
                val = val.strip()
                if not raw[0].isspace():
                    cur = None
                if key == "author" and not raw[0].isspace():
                    self.author = val
                elif key == "subject-prefix" and not raw[0].isspace():
                    self.prefix = val
                elif key == "commit" and not raw[0].isspace():
                    cur = Commit(val)
                    self.commits.append(cur)
                elif key == "add" and cur is not None:
                    cur.adds.append(val)
                else:
                    die(f"{path}:{lineno}: cannot parse: {raw.rstrip()}")
        if not self.author or not self.commits:
            die(f"{path}: needs an author line and at least one commit")
        seen = {}
        for c in self.commits:
            msgp = os.path.join(self.dir, c.name + ".msg")
            if not os.path.exists(msgp):
                die(f"missing {msgp}")
            with open(msgp) as f:
                c.msg = f.read()
            diffp = os.path.join(self.dir, c.name + ".diff")
            if os.path.exists(diffp):
                with open(diffp) as f:
                    c.diff = f.read()
            for a in c.adds:
                if a in seen:
                    die(f"{a} is added by both {seen[a]} and {c.name}")
                if not os.path.isfile(os.path.join(repo, a)):
                    die(f"{c.name} adds {a}, which does not exist")
                seen[a] = c.name
        self.owned = seen

    def check_complete(self):
        """Every file the repository tracks at a kernel path is in a commit."""
        out = git(["ls-files", "--cached", "--others", "--exclude-standard"],
                  cwd=self.repo)
        kernel_roots = ("security/", "include/", "tools/", "Documentation/",
                        "kernel/", "fs/", "net/", "scripts/", "lib/")
        # Files deleted in the work tree but still in git's index are gone.
        missing = [p for p in out.splitlines()
                   if p.startswith(kernel_roots) and p not in self.owned
                   and os.path.exists(os.path.join(self.repo, p))]
        if missing:
            die("files at kernel paths that no commit adds (list them in "
                "series/series):\n  " + "\n  ".join(missing))


def git(args, cwd=None, env=None, input=None, check=True):
    e = dict(os.environ)
    if env:
        e.update(env)
    r = subprocess.run(["git"] + args, cwd=cwd, env=e, input=input,
                       capture_output=True, text=True)
    if check and r.returncode != 0:
        die(f"git {' '.join(args)} failed:\n{r.stdout}{r.stderr}")
    return r.stdout.strip() if check else r


def split_diff(text):
    """Split a git diff into (path, section) pairs."""
    parts = re.split(r"(?m)^(?=diff --git )", text)
    out = []
    for p in parts:
        if not p.startswith("diff --git "):
            if p.strip():
                die("diff text before the first 'diff --git' header")
            continue
        m = re.match(r"diff --git a/(\S+) b/(\S+)", p)
        if not m or m.group(1) != m.group(2):
            die(f"cannot handle diff header: {p.splitlines()[0]}")
        out.append((m.group(1), p))
    return out


class Store:
    """A private git object store with a scratch index."""

    def __init__(self, gitdir):
        self.gitdir = gitdir
        if not os.path.isdir(gitdir):
            git(["init", "-q", "--bare", gitdir])
        self.index = os.path.join(gitdir, "nshard-index")
        self.env = {"GIT_DIR": gitdir, "GIT_INDEX_FILE": self.index}

    def run(self, args, **kw):
        env = dict(self.env)
        env.update(kw.pop("env", {}))
        return git(args, env=env, **kw)

    def hash_file(self, path):
        return self.run(["hash-object", "-w", "--", path])

    def add(self, path, blob, mode):
        self.run(["update-index", "--add", "--cacheinfo",
                  f"{mode},{blob},{path}"])

    def apply(self, diff, reverse=False, what=""):
        if not diff:
            return
        args = ["apply", "--cached", "--whitespace=nowarn"]
        if reverse:
            args.append("-R")
        r = self.run(args, input=diff, check=False)
        if r.returncode != 0:
            die(f"{what}: diff does not apply"
                f"{' in reverse to the final files' if reverse else ''}:\n"
                f"{r.stderr}")

    def tree(self):
        return self.run(["write-tree"])

    def blob(self, blob):
        return subprocess.run(["git", "cat-file", "blob", blob],
                              capture_output=True, check=True,
                              env={**os.environ, **self.env}).stdout

    def read_tree(self, tree):
        self.run(["read-tree", tree])

    def ls_tree(self, tree):
        out = self.run(["ls-tree", "-r", "-z", tree])
        entries = {}
        for rec in out.split("\0"):
            if not rec:
                continue
            meta, path = rec.split("\t", 1)
            mode, _, blob = meta.split()
            entries[path] = (mode, blob)
        return entries


def file_mode(path):
    return "100755" if os.access(path, os.X_OK) else "100644"


def ident_env(series):
    """Fixed author, committer and dates: the series is reproducible."""
    name, email = re.match(r"(.*?)\s*<(.*)>", series.author).groups()
    return {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email,
            "GIT_AUTHOR_DATE": AUTHOR_DATE, "GIT_COMMITTER_DATE": AUTHOR_DATE}


def build_commits(series, store, base_dir):
    """Return (base_commit, [commit ids], final tree)."""
    kernel_paths = set()
    for c in series.commits:
        if c.diff:
            for path, _ in split_diff(c.diff):
                if path not in series.owned:
                    kernel_paths.add(path)

    # Base: the pristine version of every kernel file a diff touches.
    store.run(["read-tree", "--empty"])
    for p in sorted(kernel_paths):
        src = os.path.join(base_dir, p)
        if not os.path.isfile(src):
            die(f"a diff touches {p}, which is not in the base tree")
        store.add(p, store.hash_file(src), file_mode(src))
    base_tree = store.tree()

    # Final tree: base + kernel-file hunks of every diff + repository files.
    for c in series.commits:
        if c.diff:
            kernel_part = "".join(s for p, s in split_diff(c.diff)
                                  if p not in series.owned)
            store.apply(kernel_part, what=c.name)
    for path in series.owned:
        full = os.path.join(series.repo, path)
        store.add(path, store.hash_file(full), file_mode(full))
    trees = [None] * (len(series.commits) + 1)
    trees[-1] = store.tree()

    # Walk back to the base.
    for k in range(len(series.commits), 0, -1):
        c = series.commits[k - 1]
        store.read_tree(trees[k])
        store.apply(c.diff, reverse=True, what=c.name)
        if c.adds:
            store.run(["update-index", "--index-info"],
                      input="".join(f"0 {'0' * 40}\t{a}\n" for a in c.adds))
        trees[k - 1] = store.tree()
    if trees[0] != base_tree:
        diff = store.run(["diff-tree", "-r", "--stat", base_tree, trees[0]])
        die("walking the series back does not reach the base; a diff and the "
            "repository's files disagree:\n" + diff)

    env = ident_env(series)
    parent = store.run(["commit-tree", base_tree, "-m",
                        "Linux 6.12 (Debian linux-source-6.12), files the "
                        "series touches"], env=env)
    base_commit = parent
    commits = []
    for k, c in enumerate(series.commits, 1):
        parent = store.run(["commit-tree", trees[k], "-p", parent],
                           input=c.msg, env=env)
        commits.append(parent)
    return base_commit, commits, trees[-1]


def write_patches(series, store, base_commit, tip, out, base_version):
    store.run(["update-ref", "refs/heads/nshard", tip])
    cover_path = os.path.join(series.dir, "cover-letter")
    with open(cover_path) as f:
        cover = f.read()
    cover = cover.replace("@BASE_VERSION@", base_version)
    store.run(["config", "branch.nshard.description", cover])
    if os.path.isdir(out):
        shutil.rmtree(out)
    store.run(["format-patch", "-q", "--cover-letter",
               "--cover-from-description=subject", "--no-signature",
               "--subject-prefix", series.prefix, "-o", out,
               f"{base_commit}..refs/heads/nshard"], env=ident_env(series))
    return sorted(os.listdir(out))


def check_git_am(store, base_commit, patches_dir, tree, work):
    """Apply the generated patches with git am on the base and compare."""
    if os.path.isdir(work):
        shutil.rmtree(work)
    git(["clone", "-q", "--no-checkout", "--shared", store.gitdir, work])
    git(["-c", "advice.detachedHead=false", "checkout", "-q", base_commit],
        cwd=work)
    patches = [os.path.join(patches_dir, p) for p in sorted(os.listdir(
        patches_dir)) if not p.startswith("0000-")]
    r = git(["-c", "user.name=nshard", "-c", "user.email=nshard@example.org",
             "am", "-q", "--whitespace=error-all"] + patches, cwd=work,
            check=False)
    if r.returncode != 0:
        die(f"git am of the generated series failed:\n{r.stdout}{r.stderr}")
    got = git(["rev-parse", "HEAD^{tree}"], cwd=work)
    if got != tree:
        die("git am of the series produced a different tree")
    shutil.rmtree(work)
    return len(patches)


def sync_src(store, tree, base_dir, src_dir, state_file):
    """Make src_dir = base_dir + tree, touching only files that differ."""
    if not os.path.isdir(src_dir):
        tmp = src_dir + ".tmp"
        if os.path.isdir(tmp):
            shutil.rmtree(tmp)
        subprocess.run(["cp", "-al", base_dir, tmp], check=True)
        os.rename(tmp, src_dir)
    prev = set()
    if os.path.exists(state_file):
        with open(state_file) as f:
            prev = set(f.read().split())
    entries = store.ls_tree(tree)
    changed = []
    for path, (mode, blob) in sorted(entries.items()):
        data = store.blob(blob)
        dst = os.path.join(src_dir, path)
        want_exec = mode == "100755"
        try:
            with open(dst, "rb") as f:
                same = f.read() == data
            same = same and os.access(dst, os.X_OK) == want_exec
        except FileNotFoundError:
            same = False
        if same:
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(dst))
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o755 if want_exec else 0o644)
        os.replace(tmp, dst)  # breaks the hard link to the base
        changed.append(path)
    for path in sorted(prev - set(entries)):
        dst = os.path.join(src_dir, path)
        base = os.path.join(base_dir, path)
        if os.path.exists(dst):
            os.unlink(dst)
        if os.path.exists(base):
            os.link(base, dst)
        changed.append(path)
    with open(state_file, "w") as f:
        f.write("\n".join(sorted(entries)) + "\n")
    return changed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["tree", "list"])
    ap.add_argument("--repo", default=os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    ap.add_argument("--base", help="pristine kernel tree")
    ap.add_argument("--base-version", default="6.12")
    ap.add_argument("--src", help="tree to update with the series")
    ap.add_argument("--store", help="private git object store")
    ap.add_argument("--out", help="where to write the patches")
    args = ap.parse_args()

    series = Series(args.repo)
    if args.cmd == "list":
        print("\n".join(sorted(series.owned)))
        return
    series.check_complete()
    store = Store(args.store)
    base_commit, commits, tree = build_commits(series, store, args.base)
    names = write_patches(series, store, base_commit, commits[-1], args.out,
                          args.base_version)
    n = check_git_am(store, base_commit, args.out, tree,
                     args.store + "-am")
    print(f"series: {len(commits)} commits, {n} patches apply with git am "
          f"on the base and reproduce the tree")
    for n in names:
        print(f"  {n}")
    changed = sync_src(store, tree, args.base, args.src,
                       os.path.join(os.path.dirname(args.store),
                                    "src-overlay.list"))
    print(f"series: {len(changed)} files updated in {args.src}")
    for p in changed[:40]:
        print(f"  {p}")


if __name__ == "__main__":
    main()
