"""Vendor GraphiQL's browser files into mizan_gql/static/mizan_gql/graphiql/vendor/ from npm.

    python scripts/vendor_graphiql.py            # npm and Node.js (esbuild) on PATH

The GraphiQL page (mizan_gql/http/graphiql.py) loads these files from the project's static
files, so it works offline and under a Content-Security-Policy of ``default-src 'self'``.
From the npm registry, through ``npm pack``: the UMD builds of React and ReactDOM 18 (the
last with UMD builds), GraphiQL 3 and its explorer plugin, as Strawberry's own GraphiQL page
loads them from a CDN. What the script changes:

- ``sourceMappingURL`` comments are removed (the maps are not shipped, and Django's
  ManifestStaticFilesStorage refuses to collect a file whose map is missing);
- GraphiQL's script, shipped unminified, is minified with esbuild (demo/frontend's);
- the ``data:`` URLs of the style sheets (fonts, images) become files in ``assets/``,
  since a policy without ``data:`` in ``font-src``/``img-src`` refuses them.

Licenses (all MIT) go to ``LICENSES.md``. Change the versions below and run it again.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "mizan_gql" / "static" / "mizan_gql" / "graphiql" / "vendor"
ESBUILD = ROOT / "demo" / "frontend" / "node_modules" / ".bin" / "esbuild"

PACKAGES = {
    "react": "18.2.0",
    "react-dom": "18.2.0",
    "graphiql": "3.8.3",
    "@graphiql/plugin-explorer": "1.0.2",
}
# (package, file in the package, file here)
FILES = [
    ("react", "umd/react.production.min.js", "react.production.min.js"),
    ("react-dom", "umd/react-dom.production.min.js", "react-dom.production.min.js"),
    ("graphiql", "graphiql.min.js", "graphiql.min.js"),
    ("graphiql", "graphiql.min.css", "graphiql.min.css"),
    ("@graphiql/plugin-explorer", "dist/index.umd.js", "plugin-explorer.umd.js"),
    ("@graphiql/plugin-explorer", "dist/style.css", "plugin-explorer.css"),
]
SOURCE_MAP = re.compile(r"\n?(//# sourceMappingURL=\S+|/\*# sourceMappingURL=\S+ ?\*/)\s*$")
DATA_URL = re.compile(r"url\((['\"]?)data:([\w.+/-]+);base64,([A-Za-z0-9+/=]+)\1\)")
EXTENSIONS = {"font/woff2": "woff2", "font/woff": "woff", "image/png": "png"}


def unpack(package: str, version: str, into: Path) -> Path:
    packed = subprocess.run(
        ["npm", "pack", f"{package}@{version}", "--silent"],
        cwd=into,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    directory = into / package.replace("/", "_")
    with tarfile.open(into / packed) as archive:
        archive.extractall(directory, filter="data")
    return directory / "package"


def externalize(css: str, assets: Path) -> str:
    def replace(match: re.Match[str]) -> str:
        data = base64.b64decode(match.group(3))
        name = f"{hashlib.sha256(data).hexdigest()[:16]}.{EXTENSIONS[match.group(2)]}"
        (assets / name).write_bytes(data)
        return f"url(assets/{name})"

    return DATA_URL.sub(replace, css)


def main() -> None:
    shutil.rmtree(TARGET, ignore_errors=True)
    (TARGET / "assets").mkdir(parents=True)
    licenses = ["# Licenses of the vendored GraphiQL files\n"]
    with tempfile.TemporaryDirectory() as temporary:
        unpacked = {p: unpack(p, v, Path(temporary)) for p, v in PACKAGES.items()}
        for package, source, name in FILES:
            text = (unpacked[package] / source).read_text(encoding="utf-8")
            text = SOURCE_MAP.sub("", text)
            if name.endswith(".css"):
                text = externalize(text, TARGET / "assets")
            (TARGET / name).write_text(text.rstrip() + "\n", encoding="utf-8")
        subprocess.run(
            [
                str(ESBUILD),
                "--minify",
                "--allow-overwrite",
                "--log-level=error",
                str(TARGET / "graphiql.min.js"),
                f"--outfile={TARGET / 'graphiql.min.js'}",
            ],
            check=True,
        )
        for package, version in PACKAGES.items():
            license_file = unpacked[package] / "LICENSE"
            if not license_file.exists():  # the explorer plugin: GraphiQL's repository
                license_file = unpacked["graphiql"] / "LICENSE"
            licenses.append(f"\n## {package} {version} (MIT)\n\n```\n")
            licenses.append(license_file.read_text(encoding="utf-8").strip() + "\n```\n")
    (TARGET / "LICENSES.md").write_text("".join(licenses), encoding="utf-8")


if __name__ == "__main__":
    main()
