"""Console script `zoho-crm`: one Zoho CRM action per call (design.md "Console scripts"; docs/actions.md).

    zoho-crm record get Leads 5725767000000524157 --config config.json

A thin layer over `zoho_crm_client.actions.ZohoCRM`: argparse turns the command line into one method call, the
rows it returns are printed as JSON lines (or a table, or CSV), write results as one JSON line per input record.
Exit status: 0 done; 1 some records rejected, or Zoho failed the action; 2 bad usage or config, with a message
naming the argument or config key to fix. Messages carry Zoho's code and message and never a secret.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TextIO

from zoho_crm_client import output
from zoho_crm_client.actions import DELETED_TYPES, LIST_SORT_FIELDS, SORT_ORDERS, ZohoCRM
from zoho_crm_client.errors import (
    AuthError,
    ConfigError,
    PageTokenExpired,
    RequestError,
    UsageError,
    ZohoCRMError,
)
from zoho_crm_client.redact import mask

PROG = "zoho-crm"
DONE, REJECTED, USAGE = 0, 1, 2
LEAD = "5725767000000524157"
Run = Callable[[ZohoCRM, argparse.Namespace], int]


def main(argv: list[str] | None = None, *, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 itself, naming the argument, on bad usage
    args.stdin, args.stdout = stdin or sys.stdin, stdout or sys.stdout
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="zoho-crm: %(levelname)s %(message)s")
    try:
        with ZohoCRM.from_config(args.config) as crm:  # the client remembers its secrets (redact.py)
            run: Run = args.run
            return run(crm, args)
    except ZohoCRMError as exc:
        status, text = explain(exc, args)
        print(f"{PROG}: error: {mask(text)}", file=sys.stderr)
        return status
    except BrokenPipeError:  # `zoho-crm ... | head`: the reader has what it wanted
        sys.stderr.close()
        return DONE


def run() -> None:
    sys.exit(main())


def explain(exc: ZohoCRMError, args: argparse.Namespace) -> tuple[int, str]:
    """(exit status, message): what to fix for status 2, Zoho's code and message for both."""
    if isinstance(exc, UsageError):
        return USAGE, f"argument {_flag(exc.argument, args)}: {exc.message.split(': ', 1)[-1]}"
    if isinstance(exc, (ConfigError, AuthError)):
        where = "" if exc.message.startswith("--config") else f"--config {args.config}: "
        return USAGE, f"{where}{exc.code + ': ' if exc.code else ''}{exc.message}"
    zoho = f"{exc.code}: {exc.message}" if exc.code else exc.message
    if isinstance(exc, RequestError) and not isinstance(exc, PageTokenExpired):
        return USAGE, f"argument {_blamed(exc, args)}: Zoho refused it: {zoho}"
    return REJECTED, zoho


def _blamed(exc: RequestError, args: argparse.Namespace) -> str:
    """The argument a 4xx from Zoho is about, from its code and details (section 11.1)."""
    named = exc.details.get("param_name") or exc.details.get("api_name")
    if exc.code == "INVALID_MODULE":
        return "MODULE"
    if args.command == "coql":
        return "QUERY"
    if exc.code in ("INVALID_QUERY", "LIMIT_EXCEEDED", "LIMIT_REACHED") and getattr(args, "criteria", None):
        return "--criteria"
    if named in ("fields", "sort_by", "sort_order", "criteria", "email", "phone", "word", "type"):
        return _flag(named, args)
    if named or exc.details.get("resource_path_index") == 1:
        return "ID" if not named else _flag(named, args)
    return f"of {PROG} {args.command}"


def _flag(argument: str, args: argparse.Namespace) -> str:
    positional = {"module": "MODULE", "record_id": "ID", "lead_id": "ID", "note_id": "ID", "query": "QUERY",
                  "stdin": "stdin"}
    if argument == "ids":
        return "ID" if getattr(args, "ids", None) else "stdin"
    return positional.get(argument) or "--" + argument.replace("_", "-")


# the parser: one subcommand per action, each with an example in its --help
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run one Zoho CRM action and print its result as JSON lines.",
        epilog=f"example:\n  {PROG} record get Leads {LEAD} --config config.json\n\n"
               "exit status: 0 done, 1 some records rejected (or Zoho failed), 2 bad usage or config\n"
               "docs/actions.md shows every action as a command and as Python")
    groups = parser.add_subparsers(dest="group", required=True, metavar="{record,lead,note,coql}")
    config = argparse.ArgumentParser(add_help=False)
    config.add_argument("--config", required=True, metavar="C",
                        help="the source's config file (client_id, client_secret, refresh_token, dc_region, ...)")
    read = argparse.ArgumentParser(add_help=False)
    read.add_argument("--format", choices=output.FORMATS, default="json",
                      help="json lines (default), a table for a terminal, or csv")
    _record_commands(groups, config, read)
    _lead_commands(groups, config)
    _note_commands(groups, config, read)
    coql = _command(groups, "coql", _coql, [config, read], "Execute a COQL query, paged to the end.",
                    f'{PROG} coql "select Last_Name, Email from Leads where Lead_Status = \'New\' '
                    'order by Created_Time desc" --config config.json')
    coql.add_argument("query", metavar="QUERY", help="select ... from ... where ...; ORDER BY, LIMIT, OFFSET as "
                                                      "you write them")
    _limit(coql)
    return parser


def _command(group: argparse._SubParsersAction[argparse.ArgumentParser], name: str, run: Run, parents: list[argparse.ArgumentParser], summary: str,
             example: str, command: str | None = None) -> argparse.ArgumentParser:
    sub = group.add_parser(name, parents=parents, help=summary, description=summary,
                           epilog=f"example:\n  {example}", formatter_class=argparse.RawDescriptionHelpFormatter)
    sub.set_defaults(run=run, command=command or name)
    return sub


def _record_commands(groups: Any, config: argparse.ArgumentParser, read: argparse.ArgumentParser) -> None:
    records = groups.add_parser("record", help="records of a module: get, list, search, deleted, create, update, "
                                               "upsert, delete, clone")
    sub = records.add_subparsers(dest="action", required=True, metavar="ACTION")
    write = _write_options()
    get = _command(sub, "get", _record_get, [config, read], "Retrieve a record: every field, subforms included.",
                   f"{PROG} record get Leads {LEAD} --config config.json", "record get")
    _module(get)
    get.add_argument("record_id", metavar="ID", help="the record's id")
    listing = _command(sub, "list", _record_list, [config, read], "Retrieve multiple records, paged to the end.",
                       f"{PROG} record list Leads --fields Last_Name,Email --sort-by Created_Time --sort-order desc "
                       "--limit 10 --config config.json", "record list")
    _module(listing)
    _fields(listing)
    listing.add_argument("--criteria", metavar="C", help="(Field:operator:value); makes the list a search "
                                                          "(at most 2,000 rows)")
    listing.add_argument("--sort-by", metavar="F", help=f"{', '.join(LIST_SORT_FIELDS)} (default Modified_Time); "
                                                        "any field with --criteria")
    listing.add_argument("--sort-order", choices=SORT_ORDERS, help="default asc")
    _limit(listing)
    search = _command(sub, "search", _record_search, [config, read], "Search records (at most 2,000, Zoho's "
                      "ceiling).", f'{PROG} record search Leads --criteria "(Email:equals:a@b.com)" '
                      "--config config.json", "record search")
    _module(search)
    how = search.add_mutually_exclusive_group(required=True)
    how.add_argument("--criteria", metavar="C", help="((Field:operator:value)and(...)); escape ( ) , in values "
                                                      "with a backslash")
    how.add_argument("--email", help="any email field equals this")
    how.add_argument("--phone", help="any phone field equals this")
    how.add_argument("--word", help="a word anywhere in the record")
    _fields(search)
    search.add_argument("--sort-by", metavar="F", help="any field; Zoho's search does not sort, so the whole "
                                                      "result is sorted here")
    search.add_argument("--sort-order", choices=SORT_ORDERS, help="default asc")
    _limit(search)
    deleted = _command(sub, "deleted", _record_deleted, [config, read], "Retrieve deleted records.",
                       f"{PROG} record deleted Leads --type recycle --config config.json", "record deleted")
    _module(deleted)
    deleted.add_argument("--type", choices=DELETED_TYPES, default="all", help="default all")
    _limit(deleted)
    for name, summary, record in (
            ("create", "Create records", '{"Last_Name": "Daly", "Email": "p.daly@zylker.com"}'),
            ("update", "Update records (each with its id)", f'{{"id": "{LEAD}", "Lead_Status": "Contacted"}}'),
            ("upsert", "Create or update records, matched on unique fields", '{"Email": "p.daly@zylker.com", '
                                                                              '"Last_Name": "Daly"}')):
        cmd = _command(sub, name, _record_write, [config, write], f"{summary}: JSON lines on stdin, or --data.",
                       f"echo '{record}' | {PROG} record {name} Leads --config config.json", f"record {name}")
        _module(cmd)
        if name == "upsert":
            cmd.add_argument("--duplicate-check-fields", metavar="A,B", type=_names,
                             help="fields to match on (default: the module's unique fields)")
    delete = _command(sub, "delete", _record_delete, [config], "Delete records by id (ids as arguments, or one "
                      "per line on stdin).", f"{PROG} record delete Leads {LEAD} 5725767000000524158 "
                      "--config config.json", "record delete")
    _module(delete)
    delete.add_argument("ids", nargs="*", metavar="ID", help="ids; none: read them from stdin")
    clone = _command(sub, "clone", _record_clone, [config], "Clone a record.",
                     f"{PROG} record clone Leads {LEAD} --data '{{\"Email\": \"copy@zylker.com\"}}' "
                     "--config config.json", "record clone")
    _module(clone)
    clone.add_argument("record_id", metavar="ID", help="the record to copy")
    clone.add_argument("--data", metavar="JSON", type=_object, help="values that replace the copied ones")


def _lead_commands(groups: Any, config: argparse.ArgumentParser) -> None:
    leads = groups.add_parser("lead", help="convert a lead")
    sub = leads.add_subparsers(dest="action", required=True, metavar="ACTION")
    convert = _command(sub, "convert", _lead_convert, [config], "Convert a lead into a contact, an account and "
                       "optionally a deal; prints their ids.",
                       f"{PROG} lead convert {LEAD} --data '{{\"Deals\": {{\"Deal_Name\": \"Zylker\", \"Stage\": "
                       "\"Qualification\", \"Closing_Date\": \"2026-12-31\"}}' --config config.json", "lead convert")
    convert.add_argument("lead_id", metavar="ID", help="the lead's id")
    convert.add_argument("--data", metavar="JSON", type=_object,
                         help="Zoho's convert options: Deals, Accounts, Contacts, assign_to, overwrite, ...")


def _note_commands(groups: Any, config: argparse.ArgumentParser, read: argparse.ArgumentParser) -> None:
    notes = groups.add_parser("note", help="notes: get, list, create, delete")
    sub = notes.add_subparsers(dest="action", required=True, metavar="ACTION")
    get = _command(sub, "get", _note_get, [config, read], "Retrieve a note.",
                   f"{PROG} note get 2423488000000496148 --config config.json", "note get")
    get.add_argument("note_id", metavar="ID", help="the note's id")
    listing = _command(sub, "list", _note_list, [config, read], "Retrieve notes: of one record, or all (admins).",
                       f"{PROG} note list --parent Leads:{LEAD} --config config.json", "note list")
    listing.add_argument("--parent", metavar="MODULE:ID", help="only the notes of this record")
    _fields(listing)
    _limit(listing)
    create = _command(sub, "create", _note_create, [config], "Add notes to a record: {\"Note_Title\", "
                      "\"Note_Content\"} as JSON lines on stdin, or --data.",
                      f"echo '{{\"Note_Title\": \"Call\", \"Note_Content\": \"Friday\"}}' | {PROG} note create "
                      f"--parent Leads:{LEAD} --config config.json", "note create")
    create.add_argument("--parent", metavar="MODULE:ID", required=True, help="the record the notes belong to")
    create.add_argument("--data", metavar="JSON", type=_json, help="a note, or a list of notes, instead of stdin")
    delete = _command(sub, "delete", _note_delete, [config], "Delete notes by id (ids as arguments, or one per "
                      "line on stdin).", f"{PROG} note delete 2423488000000496148 --config config.json",
                      "note delete")
    delete.add_argument("ids", nargs="*", metavar="ID", help="ids; none: read them from stdin")


def _write_options() -> argparse.ArgumentParser:
    write = argparse.ArgumentParser(add_help=False)
    write.add_argument("--data", metavar="JSON", type=_json, help="a record, or a list of records, instead of stdin")
    write.add_argument("--trigger", metavar="T,T", type=_names, default=[],
                       help="Zoho automation to run: workflow, approval, blueprint (default: none)")
    return write


def _module(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("module", metavar="MODULE", help="the module's API name: Leads, Contacts, Deals, ...")


def _fields(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--fields", metavar="A,B", type=_names, help="only these fields (default: all)")


def _limit(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--limit", metavar="N", type=_positive, help="stop after N rows (default: all)")


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {text!r}")
    return int(text)


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not JSON: {exc}") from None


def _object(text: str) -> dict[str, Any]:
    value = _json(text)
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("must be a JSON object")
    return value


# the actions: each calls one ZohoCRM method and prints what it returns
def _record_get(crm: ZohoCRM, args: argparse.Namespace) -> int:
    return _print_one(crm.get_record(args.module, args.record_id), args, f"no {args.module} record {args.record_id}")


def _record_list(crm: ZohoCRM, args: argparse.Namespace) -> int:
    return _print_rows(crm.list_records(args.module, fields=args.fields, criteria=args.criteria,
                                        sort_by=args.sort_by, sort_order=args.sort_order, limit=args.limit), args)


def _record_search(crm: ZohoCRM, args: argparse.Namespace) -> int:
    return _print_rows(crm.search_records(args.module, criteria=args.criteria, email=args.email, phone=args.phone,
                                          word=args.word, fields=args.fields, sort_by=args.sort_by,
                                          sort_order=args.sort_order, limit=args.limit), args)


def _record_deleted(crm: ZohoCRM, args: argparse.Namespace) -> int:
    return _print_rows(crm.deleted_records(args.module, type=args.type, limit=args.limit), args)


def _coql(crm: ZohoCRM, args: argparse.Namespace) -> int:
    return _print_rows(crm.coql(args.query, limit=args.limit), args)


def _record_write(crm: ZohoCRM, args: argparse.Namespace) -> int:
    records = _records(args)
    if args.action == "create":
        results = crm.create_records(args.module, records, trigger=args.trigger)
    elif args.action == "update":
        results = crm.update_records(args.module, records, trigger=args.trigger)
    else:
        results = crm.upsert_records(args.module, records, duplicate_check_fields=args.duplicate_check_fields,
                                     trigger=args.trigger)
    return _print_results(results, args)


def _record_delete(crm: ZohoCRM, args: argparse.Namespace) -> int:
    return _print_results(crm.delete_records(args.module, _ids(args)), args)


def _record_clone(crm: ZohoCRM, args: argparse.Namespace) -> int:
    return _print_results([crm.clone_record(args.module, args.record_id, args.data)], args)


def _lead_convert(crm: ZohoCRM, args: argparse.Namespace) -> int:
    return _print_results([crm.convert_lead(args.lead_id, args.data)], args)


def _note_get(crm: ZohoCRM, args: argparse.Namespace) -> int:
    return _print_one(crm.get_note(args.note_id), args, f"no note {args.note_id}")


def _note_list(crm: ZohoCRM, args: argparse.Namespace) -> int:
    return _print_rows(crm.list_notes(parent=args.parent, fields=args.fields, limit=args.limit), args)


def _note_create(crm: ZohoCRM, args: argparse.Namespace) -> int:
    return _print_results(crm.create_notes(args.parent, _records(args)), args)


def _note_delete(crm: ZohoCRM, args: argparse.Namespace) -> int:
    return _print_results(crm.delete_notes(_ids(args)), args)


# input and output
def _records(args: argparse.Namespace) -> list[dict[str, Any]]:
    """--data (an object or a list of them), else JSON lines on stdin; all read before anything is sent."""
    if args.data is not None:
        items = args.data if isinstance(args.data, list) else [args.data]
        if not all(isinstance(i, dict) for i in items):
            raise UsageError("data", "must be a JSON object or a list of JSON objects")
        return items
    records = []
    for number, line in _lines(args.stdin):
        try:
            value = json.loads(line)
        except ValueError as exc:
            raise UsageError("stdin", f"line {number} is not JSON ({exc})") from None
        if not isinstance(value, dict):
            raise UsageError("stdin", f"line {number} is not a JSON object")
        records.append(value)
    if not records:
        raise UsageError("data", "no records: give --data or JSON lines on stdin")
    return records


def _ids(args: argparse.Namespace) -> list[str]:
    """Ids as arguments, else one per line on stdin: a bare id or a result line with an "id" (for pipes)."""
    if args.ids:
        return list(args.ids)
    ids = []
    for _number, line in _lines(args.stdin):
        value = json.loads(line) if line.startswith("{") else line
        ids.append(str(value.get("id")) if isinstance(value, dict) else value)
    if not ids:
        raise UsageError("ids", "no ids: give them as arguments or one per line on stdin")
    return ids


def _lines(stream: TextIO) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(stream, 1):
        if line.strip():
            yield number, line.strip()


def _print_one(row: dict[str, Any] | None, args: argparse.Namespace, missing: str) -> int:
    if row is None:
        print(f"{PROG}: error: {missing} (Zoho answered 204 No Content)", file=sys.stderr)
        return REJECTED
    return _print_rows([row], args)


def _print_rows(rows: Iterable[dict[str, Any]], args: argparse.Namespace) -> int:
    output.write_rows(rows, args.format, args.stdout)
    return DONE


def _print_results(results: Iterable[Mapping[str, Any]], args: argparse.Namespace) -> int:
    """One JSON line per input record, flushed as each chunk commits (so a pipe can act on it at once)."""
    status = DONE
    for result in results:
        output.write_line(result, args.stdout)
        if result["status"] != "success":
            status = REJECTED
    return status
