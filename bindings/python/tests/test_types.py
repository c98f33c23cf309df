"""The package's type information, as mypy sees it: the generated module's annotations
and gpunion/__init__.pyi (the error kinds)."""

import ast
import inspect
import pathlib
import subprocess
import sys

import gpunion
import gpunion._native.gpunion as generated

HERE = pathlib.Path(__file__).resolve().parent
STUB = pathlib.Path(gpunion.__file__).with_suffix(".pyi")


def mypy(path):
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-incremental", str(path)],
        capture_output=True,
        text=True,
    )


def test_the_example_type_checks():
    result = mypy(HERE.parent / "examples/quickstart.py")
    assert result.returncode == 0, result.stdout


def test_misuse_is_caught(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import gpunion\n"
        "gpunion.Wallet.generate(5)\n"
        "def f(e: gpunion.GpunionError.ChainRejected) -> str:\n"
        "    return e.code\n"
    )
    result = mypy(bad)
    assert "incompatible type" in result.stdout, result.stdout
    assert 'Incompatible return value type (got "int", expected "str")' in result.stdout, result.stdout


def test_the_stub_matches_the_module():
    tree = ast.parse(STUB.read_text())
    imported = {a.name for node in tree.body if isinstance(node, ast.ImportFrom) for a in node.names}
    assert imported == set(generated.__all__) - {"GpunionError"}
    (errors,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "GpunionError"]
    stubbed = {
        kind.name: [a.arg for a in init.args.args[1:]]
        for kind in errors.body
        if isinstance(kind, ast.ClassDef)
        for init in kind.body
        if isinstance(init, ast.FunctionDef) and init.name == "__init__"
    }
    runtime = {
        name: list(inspect.signature(kind.__init__).parameters)[1:]
        for name, kind in vars(gpunion.GpunionError).items()
        if isinstance(kind, type) and issubclass(kind, gpunion.GpunionError)
    }
    assert stubbed == runtime
