import sys

from portrayal.cli import main

sys.exit(main(["train", *sys.argv[1:]]))
