"""The command line shared by startup_bench.py and startup_phases.py: options, then NAME=COMMAND arguments."""
import shlex, sys


def parse(argv, prog, doc, runs, warmup=None):
    """Parses [--runs N] [--warmup W] [--stdin FILE] NAME=COMMAND ...; --warmup only where a default is given.

    Returns (runs, warmup, stdin_path, [(name, argv)]); exits with the usage (doc) when no command is given, and
    with "prog: ..." for an unknown option or an argument that is not NAME=COMMAND.
    """
    args = list(argv)
    stdin_path = "/dev/null"
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--runs":
            runs = int(args.pop(0))
        elif opt == "--warmup" and warmup is not None:
            warmup = int(args.pop(0))
        elif opt == "--stdin":
            stdin_path = args.pop(0)
        else:
            sys.exit(f"{prog}: unknown option {opt}")
    if not args:
        sys.exit(doc)
    commands = []
    for a in args:
        name, sep, cmd = a.partition("=")
        if not sep or not cmd:
            sys.exit(f"{prog}: '{a}' is not NAME=COMMAND")
        commands.append((name, shlex.split(cmd)))
    return runs, warmup, stdin_path, commands
