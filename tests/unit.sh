#!/bin/sh
# Runs the criterion unit tests with TAP on stdout for automake's driver;
# criterion's own report (and its Synthesis line) goes to the log on stderr.
exec "${top_builddir:-.}/tests/unit" --tap=/dev/stdout "$@"
