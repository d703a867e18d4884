"""`quartiers <command>`: a thin wrapper over the Django management commands.

    quartiers demo                      migrate and load the demo (idempotent)
    quartiers serve [ADDR:PORT] [--with-worker] [--dev]
                                        serve the site (gunicorn; --with-worker: and the worker; --dev: Django's
                                        development server with autoreload)
    quartiers worker [--batch]          run the background jobs (e-mails, matcher warm-up) and, every minute,
                                        close the calls past their deadline and send the deadline reminders
    quartiers load-reference            load the national reference (QPV, communes, EPCI, contracts; idempotent)
    quartiers contract-create CODE_CV [--slug SLUG]
                                        create a contract from the reference with its QPV, print its slug
    quartiers import-annex PATH --json  print the framework imported from an annex
    quartiers import-annex PATH --contract SLUG [--publish]
                                        store it as a new version of a contract's framework
    quartiers match --input F --json [--framework FW.json]
                                        rank the objectives each proposal serves
    quartiers check-application APP.json --json
                                        check an application against every rule of its call
    quartiers close-calls               close the open calls whose deadline has passed
    quartiers export-programme --call SLUG --format xlsx|ods|csv|scdl [--funder SIRET] [--threshold N] -o FILE
                                        write a call's programme table or a funder's SCDL open-data file
    quartiers export-labels --call SLUG -o FILE
                                        the confirmed matches of a call as labelled JSONL
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartiers.config.settings")
    from django.core.management import execute_from_command_line

    if len(argv) < 2 or argv[1] in {"-h", "--help", "help"}:
        print(__doc__.strip())
        print("\nToutes les commandes : quartiers list-commands")
        return
    if argv[1] == "list-commands":
        argv = [argv[0], "help"]
    else:
        # Accept kebab-case names (import-annex) for the snake_case management commands (import_annex).
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(["quartiers", *argv[1:]])


if __name__ == "__main__":
    main()
