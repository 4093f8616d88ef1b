"""The ``drift`` command line: parse options, call the library, write the result.

Exit codes (documented in the README):
  0  success;
  1  findings at or above ``--fail-on`` severity (audit); the core audit cannot run (doctor);
  2  usage error (bad option, missing path, unknown translator or model language);
  3  partial failure: some inputs could not be read or passages not translated (``models pull``
     / ``convert``: some models failed); results for the rest were still produced;
  4  nothing could be read at all (``models pull`` / ``convert``: every model failed).

Start-up is kept light: the help is click's plain formatter (typer's rich help imports rich's
markdown renderer), and every pipeline module is imported inside the command that needs it.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from drift.config import Config
    from drift.core import Prepared
    from drift.records import Article, Note
    from drift.store import Store

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_PARTIAL, EXIT_NOTHING = 0, 1, 2, 3, 4


def _plain_placeholders() -> None:
    """Help without typer's type placeholders (``<bool>`` after every flag, ``<list[Path]>``)
    and with ``PATH...`` rather than ``{paths}...`` in usage lines: each parameter's help text
    already says what it takes. Typer internals, so each patch is applied only if present."""
    from typer import core

    argument, option = getattr(core, "TyperArgument", None), getattr(core, "TyperOption", None)
    if argument is not None and hasattr(argument, "display_type_rich"):
        argument.display_type_rich = lambda self, ctx: None

        def usage_name(self: Any) -> str:
            name = self.metavar or self.name.upper()
            name = name if self.required else f"[{name}]"
            return name + ("..." if self.nargs != 1 and not name.endswith("...") else "")

        if hasattr(argument, "_usage_display_name"):
            argument._usage_display_name = usage_name
    if option is not None and hasattr(option, "display_type_rich"):
        shown = option.display_type_rich

        def option_type(self: Any, ctx: Any) -> str | None:
            if getattr(self, "is_flag", False) or getattr(self, "count", False):
                return None
            label = shown(self, ctx)
            if isinstance(label, str) and label.startswith("<") and label.endswith(">"):
                label = label[1:-1]  # "<path>" -> "PATH", "<list[str]>" -> "TEXT"
                if label.startswith("list[") and label.endswith("]"):
                    label = label[5:-1]
                label = {"str": "TEXT"}.get(label, label).upper()
            return label  # type: ignore[no-any-return]

        option.display_type_rich = option_type


_plain_placeholders()

app = typer.Typer(
    help="drift: find meaning that drifted when a news story was re-reported or translated.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
models_app = typer.Typer(
    help="List, download and convert translation models.", no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(models_app, name="models")

# The backends the help text names; checked against the registry (drift.translate.ALL_CHOICES)
# when a command runs, and by tests/test_cli_basic.py, so that start-up need not import the
# translation package.
TRANSLATOR_HELP_CHOICES = ("auto", "marian", "marian-ct2", "apertium", "identity")

PathsArg = Annotated[
    list[Path],
    typer.Argument(help="Article files or folders (txt, md, html, json, jsonl, rss/atom).",
                   metavar="PATH...", show_default=False),
]
TranslatorOpt = Annotated[
    str,
    typer.Option("--translator", "-t", metavar="NAME",
                 help="Backend: " + ", ".join(TRANSLATOR_HELP_CHOICES[:-1]) + " or "
                 + TRANSLATOR_HELP_CHOICES[-1] + "."),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Write JSON to stdout instead of a table.")]
CacheOpt = Annotated[
    Path | None, typer.Option("--cache", metavar="FILE",
                              help="Translation cache file (default: the user cache).")
]
NoCacheFlag = Annotated[
    bool, typer.Option("--no-cache", help="Do not read or write the translation cache.")
]
SourcesArg = Annotated[
    list[str],
    typer.Argument(help="Article files or folders (txt, md, html, json, jsonl, rss/atom), or "
                   "article page URLs (http, https).", metavar="PATH...", show_default=False),
]
WorkersOpt = Annotated[
    int | None,
    typer.Option("--workers", metavar="N",
                 help="Stories audited at once, each worker loading the models once "
                      "(default: the core count)."),
]
EngineOpt = Annotated[
    str,
    typer.Option("--engine", metavar="NAME",
                 help="Where stories run: local (worker processes here) or ray (a Ray "
                      "cluster; pip install 'drift[cluster]')."),
]
AddressOpt = Annotated[
    str | None,
    typer.Option("--address", metavar="ADDR",
                 help="The Ray cluster to use (ray://host:10001, or auto); default: a local "
                      "one."),
]
VerboseFlag = Annotated[
    bool, typer.Option("--verbose", "-v", help="Also say which files were skipped, and why.")
]


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _check_paths(paths: list[Path] | list[str]) -> None:
    from drift.ingest.web import is_url

    missing = [str(p) for p in paths if not is_url(p) and not Path(p).exists()]
    if missing:
        _err(f"error: no such file or folder: {', '.join(missing)}")
        raise typer.Exit(EXIT_USAGE)


def translator_choices() -> tuple[str, ...]:
    """``auto`` and every registered backend (imports the translation package)."""
    from drift.translate import ALL_CHOICES

    return tuple(ALL_CHOICES)


def _check_translator(name: str) -> None:
    choices = translator_choices()
    if name not in choices:
        _err(f"error: unknown translator {name!r}; choose one of {', '.join(choices)}")
        raise typer.Exit(EXIT_USAGE)


def _show_notes(notes: Iterable[Note], articles: Iterable[Article], verbose: bool) -> None:
    """Notes on the inputs (skipped files, an empty folder, an article cleaning mostly removed):
    warnings always, info notes with --verbose."""
    for note in notes:
        if note.level == "warning":
            _err(f"note: {note}")
        elif verbose:
            _err(f"info: {note}")
    for art in articles:
        for message in art.notes:
            _err(f"note: {art.source}: {message}")


def _report_problems(prepared: Prepared) -> int:
    """Print read errors and untranslated passages; the exit code they imply."""
    for problem in prepared.errors:
        _err(f"warning: {problem}")
    if not prepared.articles:
        _err("error: no article could be read")
        return EXIT_NOTHING
    return EXIT_PARTIAL if prepared.errors else EXIT_OK


def _prepare(
    paths: list[Path],
    translator: str | None,
    cache: Path | None,
    no_cache: bool,
    reference: Path | None = None,
    verbose: bool = False,
) -> Prepared:
    from drift.core import prepare_set
    from drift.ingest import read_paths

    aset = read_paths(paths, reference=reference)
    _show_notes(aset.notes, aset.articles, verbose)
    return prepare_set(aset, translator=translator, cache_path=cache, use_cache=not no_cache)


def passage_rows(prepared: Prepared) -> list[dict[str, object]]:
    """The JSON rows of ``detect --json`` and ``translate --json``: each passage with its article,
    its kind and where it is in the source (``raw_start``/``raw_end`` index the source text that
    ``raw_of`` names: the file's own text for .txt and .md; null when unknown)."""
    by_id = {a.id: a for a in prepared.articles}
    rows: list[dict[str, object]] = []
    for p in prepared.all_passages:
        art = by_id[p.article]
        raw_start: int | None
        raw_end: int | None
        try:
            raw_start, raw_end = art.source_span(p.span.start, p.span.end)
        except ValueError:  # an article without a map back (built by hand, or stored without)
            raw_start = raw_end = None
        rows.append({"article": p.article, "kind": p.kind, **p.to_json(),
                     "raw_start": raw_start, "raw_end": raw_end, "raw_of": art.raw_of})
    return rows


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command()
def detect(paths: PathsArg, json_out: JsonFlag = False, verbose: VerboseFlag = False) -> None:
    """List the passages of each article that are not in English."""
    _check_paths(paths)
    prepared = _prepare(paths, None, None, True, verbose=verbose)
    if json_out:
        typer.echo(json.dumps(passage_rows(prepared), ensure_ascii=False, indent=2))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"Non-English passages in {len(prepared.articles)} articles")
        for col in ("article", "language", "confidence", "text"):
            table.add_column(col)
        for p in prepared.all_passages:
            table.add_row(p.article, p.language, f"{p.confidence:.2f}", _short(p.span.text))
        Console().print(table)
    raise typer.Exit(_report_problems(prepared))


@app.command()
def translate(
    paths: PathsArg,
    translator: TranslatorOpt = "auto",
    json_out: JsonFlag = False,
    cache: CacheOpt = None,
    no_cache: NoCacheFlag = False,
    verbose: VerboseFlag = False,
) -> None:
    """Translate the non-English passages and print each with its translation."""
    _check_paths(paths)
    _check_translator(translator)
    prepared = _prepare(paths, translator, cache, no_cache, verbose=verbose)
    if json_out:
        typer.echo(json.dumps(passage_rows(prepared), ensure_ascii=False, indent=2))
    else:
        for p in prepared.all_passages:
            typer.echo(
                f"[{p.article}] {p.language} ({p.confidence:.2f}) {p.span.start}-{p.span.end}"
            )
            typer.echo(f"  original:    {p.span.text}")
            if p.translation is not None:
                model = f", {p.translation.model}" if p.translation.model else ""
                typer.echo(f"  translation: {p.translation.text}")
                typer.echo(f"  by:          {p.translation.backend}{model}")
            else:
                typer.echo(f"  not translated: {p.untranslated_reason}")
    raise typer.Exit(_report_problems(prepared))


SEVERITY_CHOICES = ("low", "medium", "high")


@app.command()
def audit(
    paths: SourcesArg,
    reference: Annotated[
        str | None,
        typer.Option("--reference", "-r", metavar="PATH",
                     help="The original reporting to compare with (a file or a page URL)."),
    ] = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Write the JSON report here.")
    ] = None,
    html_path: Annotated[
        Path | None,
        typer.Option("--html", help="Write the HTML report (one self-contained page) here."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="stdout format: table, json or markdown.")
    ] = "table",
    translator: TranslatorOpt = "auto",
    min_severity: Annotated[
        str, typer.Option(help="Drop findings below: low, medium or high.")
    ] = "low",
    fail_on: Annotated[
        str, typer.Option(help="Exit 1 when findings at or above: none, low, medium or high.")
    ] = "none",
    cache: CacheOpt = None,
    no_cache: NoCacheFlag = False,
    nli: Annotated[
        str | None,
        typer.Option(
            "--nli",
            help="An NLI model (hub id or folder) that scores each finding's contradiction.",
        ),
    ] = None,
    judge: Annotated[
        str,
        typer.Option(
            help="The learned judge: auto (as far as its held-out gate allows), off (rules "
                 "only), on (all uses), only (its own findings alone, for measuring it).",
        ),
    ] = "auto",
    stories: Annotated[
        bool,
        typer.Option("--stories", help="Each PATH is a folder of stories (one subfolder each): "
                     "audit every story, one report each plus an index (index.json, and "
                     "index.html with --html). --json and --html name folders then."),
    ] = False,
    workers: WorkersOpt = None,
    engine: EngineOpt = "local",
    address: AddressOpt = None,
) -> None:
    """Audit an article set for drift against the reference (or the set's consensus).

    Page URLs are fetched as `drift check` fetches them (timeouts, size cap, robots.txt) and
    their text extracted; a page that cannot be read is one warning line.
    """
    _check_paths(paths + ([reference] if reference else []))
    _check_translator(translator)
    for name, value, allowed in (
        ("--format", fmt, ("table", "json", "markdown")),
        ("--min-severity", min_severity, SEVERITY_CHOICES),
        ("--fail-on", fail_on, ("none", *SEVERITY_CHOICES)),
        ("--judge", judge, ("auto", "off", "on", "only")),
    ):
        if value not in allowed:
            _err(f"error: {name} must be one of {', '.join(allowed)}, not {value!r}")
            raise typer.Exit(EXIT_USAGE)
    if stories:
        _audit_stories(paths, reference=reference, json_dir=json_path, html_dir=html_path,
                       fmt=fmt, translator=translator, min_severity=min_severity,
                       fail_on=fail_on, cache=cache, no_cache=no_cache, nli=nli, judge=judge,
                       workers=workers, engine=engine, address=address)
    if workers is not None or engine != "local" or address is not None:
        _err("error: --workers, --engine and --address run many stories: add --stories")
        raise typer.Exit(EXIT_USAGE)
    from drift.core import AuditError, NothingRead, UnreadableReference
    from drift.core import audit as run_audit
    from drift.nli import NLIError
    from drift.report import print_table, to_markdown

    try:
        with _progress_bar() as progress:
            report = run_audit(
                paths,
                reference=reference,
                translator=translator,
                cache_path=cache,
                use_cache=not no_cache,
                min_severity=min_severity,
                progress=progress,
                nli=nli,
                judge=judge,
            )
    except NLIError as exc:
        _err(f"error: --nli: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    except UnreadableReference as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_NOTHING) from exc
    except NothingRead as exc:
        _show_notes(exc.notes, (), False)
        for problem in exc.errors:
            _err(f"warning: {problem}")
        _err("error: no article could be read")
        raise typer.Exit(EXIT_NOTHING) from exc
    except FileNotFoundError as exc:  # removed since it was checked
        _err(f"error: no such file or folder: {exc.filename}")
        raise typer.Exit(EXIT_USAGE) from exc
    except AuditError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(report.to_json(), encoding="utf-8")
    if html_path is not None:
        from drift.html import write_html

        write_html(report.to_dict(), html_path)
    if fmt == "json":
        typer.echo(report.to_json(), nl=False)
    elif fmt == "markdown":
        typer.echo(to_markdown(report), nl=False)
    else:
        print_table(report)
    _show_notes(report.notes, (a.article for a in report.articles), False)
    for problem in report.problems:
        _err(f"warning: {problem}")
    # Findings at --fail-on outrank a partial failure: both are non-zero, and the warnings above
    # say what could not be read.
    if fail_on != "none" and report.at_least(fail_on):
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(EXIT_PARTIAL if report.problems else EXIT_OK)


def _engine(workers: int | None, engine: str, address: str | None, warm: Any) -> Any:
    """The engine the options name, or a usage error."""
    from drift.engines import ENGINES, EngineError, get_engine

    if workers is not None and workers < 1:
        _err(f"error: --workers must be 1 or more, not {workers}")
        raise typer.Exit(EXIT_USAGE)
    if engine not in ENGINES:
        _err(f"error: --engine must be one of {', '.join(sorted(ENGINES))}, not {engine!r}")
        raise typer.Exit(EXIT_USAGE)
    try:
        return get_engine(engine, workers, warm=warm, address=address)
    except EngineError as exc:
        _err(f"error: --engine {engine}: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc


def _audit_stories(paths: list[str], *, reference: str | None, json_dir: Path | None,
                   html_dir: Path | None, fmt: str, translator: str, min_severity: str,
                   fail_on: str, cache: Path | None, no_cache: bool, nli: str | None,
                   judge: str, workers: int | None, engine: str, address: str | None) -> None:
    """``drift audit STORIES... --stories``: every story of the collections, in parallel."""
    import functools

    from drift.stories import (
        AuditOptions,
        CollectionError,
        audit_stories,
        find_stories,
        slug,
        summary_rows,
        warm,
    )

    if reference is not None:
        _err("error: --reference names one story's reference; with --stories each story's "
             "is its reference.* file or the article marked `reference: true`")
        raise typer.Exit(EXIT_USAGE)
    if fmt == "markdown":
        _err("error: --format markdown is for one story; with --stories use table or json")
        raise typer.Exit(EXIT_USAGE)
    found = []
    for p in paths:
        try:
            found.extend(find_stories(Path(p)))
        except CollectionError as exc:
            _err(f"error: {exc}")
            raise typer.Exit(EXIT_USAGE) from exc
    names = [s.name for s in found]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        _err(f"error: two stories share a name: {', '.join(twice)}")
        raise typer.Exit(EXIT_USAGE)
    found.sort(key=lambda s: s.name)
    if json_dir is None and html_dir is None:
        json_dir = Path("reports") / slug(Path(paths[0]).resolve().name)
    options = AuditOptions(translator=translator, min_severity=min_severity, judge=judge,
                           nli=nli, cache_path=cache, use_cache=not no_cache)
    runner = _engine(workers, engine, address, functools.partial(warm, options))
    try:
        with _stories_bar() as progress:
            result = audit_stories(found, options, runner, json_dir=json_dir,
                                   html_dir=html_dir, progress=progress)
    finally:
        runner.close()
    if fmt == "json":
        typer.echo(json.dumps(result.index, ensure_ascii=False, indent=2))
    else:
        _print_rows(f"{len(found)} stories", ["story", "status", "articles", "high", "medium",
                                              "low"], summary_rows(result.index))
    for where, name in ((json_dir, "index.json"), (html_dir, "index.html")):
        if where is not None:
            _err(f"wrote {where / name}")
    for o in result.failed:
        for problem in o.problems:
            _err(f"warning: {o.story.name}: {problem}")
    if fail_on != "none" and result.at_least(fail_on):
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(EXIT_PARTIAL if result.failed else EXIT_OK)


@contextlib.contextmanager
def _stories_bar() -> Iterator[Callable[[int, int], None] | None]:
    """One progress bar across stories on stderr when it is a terminal; None otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("Auditing stories"), BarColumn(), MofNCompleteColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("stories", total=None)

        def show(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield show


@app.command("report")
def report_cmd(
    report_path: Annotated[
        Path,
        typer.Argument(
            metavar="REPORT.json", help="A JSON report written by `drift audit --json`."
        ),
    ],
    html_path: Annotated[
        Path,
        typer.Option("--html", help="Write the HTML report (one self-contained page) here."),
    ],
) -> None:
    """Render a saved JSON report as the HTML page `drift audit --html` writes."""
    _check_paths([report_path])
    try:
        data = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        _err(f"error: cannot read the report {report_path}: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    if not isinstance(data, dict) or "articles" not in data or "findings" not in data:
        _err(f"error: {report_path} is not a drift JSON report (no articles and findings)")
        raise typer.Exit(EXIT_USAGE)
    from drift.html import write_html

    write_html(data, html_path)
    raise typer.Exit(EXIT_OK)


STAGES = {
    "detect": "Detecting languages",
    "translate": "Translating",
    "claims": "Reading claims",
    "compare": "Comparing articles",
    "judge": "Judging sentence pairs",
}


@contextlib.contextmanager
def _progress_bar() -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar per stage on stderr when stderr is a terminal; nothing (None) in pipes and
    CI, so logs and JSON on stdout stay clean."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    tasks: dict[str, Any] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=Console(stderr=True), transient=True) as bar:

        def show(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield show


@models_app.command("list")
def models_list() -> None:
    """Show the translation models drift knows and which are available locally."""
    from rich.console import Console
    from rich.table import Table

    from drift.modelhub import list_models, models_dir

    table = Table(title=f"Translation models (models directory: {models_dir()})")
    for col in ("language", "model", "local", "in HF cache", "ct2"):
        table.add_column(col)
    for m in list_models():
        table.add_row(
            m.language,
            m.model_id,
            "yes" if m.local else "no",
            "yes" if m.cached else "no",
            "yes" if m.converted else "no",
        )
    Console().print(table)


def _batch_exit(failed: int, total: int) -> int:
    """0 when nothing failed, 3 (partial) when some did, 4 when every one did."""
    if not failed:
        return EXIT_OK
    return EXIT_NOTHING if failed >= total else EXIT_PARTIAL


@models_app.command("pull")
def models_pull(
    languages: Annotated[list[str], typer.Argument(help="Source languages, e.g. es fr uk.",
                                                   metavar="LANG...")],
    fallback_mul: Annotated[bool, typer.Option(
        "--fallback-mul",
        help="For a language the registry does not list, fetch the multilingual model.",
    )] = False,
) -> None:
    """Download MarianMT models for the given source languages (needs network access).

    Exit code 0 when every model is present afterwards, 3 when some failed, 4 when all failed,
    2 for a language the registry does not list (unless --fallback-mul).
    """
    from drift.modelhub import (
        ModelPullError,
        RegistryError,
        pull,
        registered_model,
        unknown_language_message,
    )

    try:
        unknown = [lang for lang in languages if registered_model(lang) is None]
    except RegistryError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    if unknown and not fallback_mul:
        for lang in unknown:
            _err(f"error: {unknown_language_message(lang)}")
        raise typer.Exit(EXIT_USAGE)
    failed = 0
    for lang in languages:
        try:
            for line in pull([lang], allow_fallback=fallback_mul):
                typer.echo(line)
        except ModelPullError as exc:
            _err(f"error: {exc}")
            failed += 1
    raise typer.Exit(_batch_exit(failed, len(languages)))


@models_app.command("convert")
def models_convert(
    languages: Annotated[
        list[str], typer.Argument(help="Source languages (e.g. es fr) or model ids to convert.",
                                  metavar="LANG...")
    ],
    force: Annotated[bool, typer.Option("--force", help="Convert again if already done.")] = False,
) -> None:
    """Convert local MarianMT models to CTranslate2 int8 (the fast marian-ct2 backend)."""
    from drift.modelhub import ModelConvertError, convert

    failed = 0
    for lang in languages:
        try:
            for line in convert([lang], force=force):
                typer.echo(line)
        except ModelConvertError as exc:
            _err(f"error: {exc}")
            failed += 1
    raise typer.Exit(_batch_exit(failed, len(languages)))


EXIT_BUSY = 5  # check / watch: another check holds the store

ConfigOpt = Annotated[
    Path, typer.Option("--config", "-c", help="The drift.toml listing stories and sources.")
]
StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", help="The SQLite store (default: from drift.toml, else drift.sqlite)."),
]


def _load_config(path: Path) -> Config:
    from drift.config import ConfigError, load_config

    try:
        return load_config(path)
    except ConfigError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc


def _log_to_stderr(verbose: bool) -> None:
    import logging

    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def _store_path(store: Path | None, config: Path) -> Path:
    if store is not None:
        return store
    if config.is_file():
        return _load_config(config).store
    return Path("drift.sqlite")


@app.command()
def check(
    config: ConfigOpt = Path("drift.toml"),
    store: StoreOpt = None,
    story: Annotated[
        list[str] | None, typer.Option("--story", help="Check only this story (repeatable).")
    ] = None,
    fail_on: Annotated[
        str, typer.Option(help="Exit 1 when new findings at or above: none, low, medium, high.")
    ] = "none",
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
    workers: WorkersOpt = None,
    engine: EngineOpt = "local",
    address: AddressOpt = None,
) -> None:
    """One pass: fetch what is new, audit the stories that changed (in parallel), store them,
    alert on new findings."""
    if fail_on not in ("none", *SEVERITY_CHOICES):
        _err(f"error: --fail-on must be one of none, low, medium, high, not {fail_on!r}")
        raise typer.Exit(EXIT_USAGE)
    cfg = _load_config(config)
    _log_to_stderr(verbose)
    from drift.config import ConfigError
    from drift.store import StoreBusy, StoreError
    from drift.watch import run_check, worker_warm

    runner = _engine(workers, engine, address, worker_warm())
    try:
        result = run_check(cfg, store_path=store, stories=story or None, engine=runner)
    except ConfigError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    except StoreBusy as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_BUSY) from exc
    except StoreError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_NOTHING) from exc
    finally:
        runner.close()
    for problem in result.problems:
        _err(f"warning: {problem}")
    _err(
        f"run {result.run_id} {result.status}: {len(result.new_findings)} new findings, "
        f"{result.alerts_sent} alerts sent, {result.alerts_failed} not sent"
    )
    if fail_on != "none" and result.at_least(fail_on):
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(EXIT_PARTIAL if result.status == "failed" else EXIT_OK)


@app.command()
def watch(
    config: ConfigOpt = Path("drift.toml"),
    store: StoreOpt = None,
    run_now: Annotated[
        bool, typer.Option("--run-now", help="Check every story once at start.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
    workers: WorkersOpt = None,
    engine: EngineOpt = "local",
    address: AddressOpt = None,
) -> None:
    """Run checks on each story's cron schedule until SIGINT or SIGTERM."""
    import signal
    import threading

    cfg = _load_config(config)
    _log_to_stderr(verbose)
    from drift.watch import watch as run_watch
    from drift.watch import worker_warm

    runner = _engine(workers, engine, address, worker_warm(quiet=True))
    stop = threading.Event()

    def _stop(signum: int, _frame: object) -> None:
        _err(f"{signal.Signals(signum).name}: finishing the stories under way, then stopping")
        stop.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        run_watch(cfg, store_path=store, stop=stop, run_now=run_now, engine=runner)
    finally:
        runner.close()
    raise typer.Exit(EXIT_OK)


def _open_store(store: Path | None, config: Path) -> Store:
    from drift.store import Store, StoreError

    path = _store_path(store, config)
    if not path.is_file():
        _err(f"error: no store at {path}; run `drift check` first")
        raise typer.Exit(EXIT_USAGE)
    try:
        return Store(path)
    except StoreError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc


def _print_rows(title: str, columns: list[str], rows: list[dict[str, object]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for col in columns:
        table.add_column(col)
    for r in rows:
        table.add_row(*(_short(str(r.get(c) if r.get(c) is not None else "")) for c in columns))
    Console().print(table)


@app.command()
def history(
    story: Annotated[str, typer.Argument(help="The story's name in drift.toml.")],
    config: ConfigOpt = Path("drift.toml"),
    store: StoreOpt = None,
    json_out: JsonFlag = False,
) -> None:
    """A story's timeline from the store: articles and versions stored, findings first seen,
    and where each drift first appeared and spread."""
    with _open_store(store, config) as st:
        from drift.watch import UnknownStory, story_drifts, story_history

        try:
            events = story_history(st, story)
        except UnknownStory as exc:
            _err(f"error: {exc}")
            raise typer.Exit(EXIT_USAGE) from exc
        drifts = story_drifts(st, story)
    if json_out:
        typer.echo(json.dumps(events, ensure_ascii=False, indent=2))
    else:
        _print_rows(f"History of {story}", ["time", "run", "event", "outlet", "article",
                                            "detail"], events)
        spread = [d | {"spread to": ", ".join(f"{s['article']} ({s['first_seen']})"
                                              for s in d["spread to"]) or "—"}
                  for d in drifts if d["spread to"] or d["introduced by"]]
        if spread:
            _print_rows(f"Drifts of {story} across articles",
                        ["type", "change", "first seen", "in", "spread to", "introduced by"],
                        spread)
    raise typer.Exit(EXIT_OK)


@app.command()
def findings(
    since: Annotated[
        str, typer.Option("--since", help="A duration (7d, 12h) or a date (2026-11-01).")
    ] = "7d",
    story: Annotated[str | None, typer.Option("--story", help="Only this story.")] = None,
    config: ConfigOpt = Path("drift.toml"),
    store: StoreOpt = None,
    json_out: JsonFlag = False,
) -> None:
    """Findings first seen since a date or duration, from the store."""
    from drift.notify import plain_finding
    from drift.watch import parse_since

    try:
        after = parse_since(since)
    except ValueError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    with _open_store(store, config) as st:
        rows = st.findings(since=after, story=story)
    if json_out:
        out = [
            {"first_seen": r["first_seen"], "story": r["story"], "outlet": r["outlet"],
             "url": r["url"], "version": r["version"], "run": r["run_id"], **r["payload"]}
            for r in rows
        ]
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        table = [
            {"first seen": r["first_seen"], "story": r["story"],
             "outlet": r["outlet"] or r["source"], "severity": r["severity"],
             "finding": plain_finding(r["payload"])}
            for r in rows
        ]
        _print_rows(f"Findings since {after}", ["first seen", "story", "outlet", "severity",
                                                "finding"], table)
    raise typer.Exit(EXIT_OK)


@app.command()
def doctor(
    json_out: JsonFlag = False,
    config: Annotated[
        Path, typer.Option("--config", "-c", help="The drift.toml whose store to show.")
    ] = Path("drift.toml"),
) -> None:
    """Say what this installation can do, and the command that adds each missing piece.

    Exit code 0 when the core audit works, 1 when a piece it needs is missing.
    """
    from drift.doctor import checks, core_ready, render

    found = checks(config)
    if json_out:
        typer.echo(json.dumps({"core_ready": core_ready(found),
                               "checks": [c.to_json() for c in found]}, indent=2))
    else:
        typer.echo(render(found), nl=False)
    raise typer.Exit(EXIT_OK if core_ready(found) else EXIT_FINDINGS)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the audit report (drift/contract/findings.schema.json)."""
    from drift.contract import schema_text

    typer.echo(schema_text(), nl=False)


@app.command()
def version() -> None:
    """Print drift's version."""
    from drift import __version__

    typer.echo(f"drift {__version__}")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
