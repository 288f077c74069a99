#pragma once
// The `aop` command line: parses arguments and dispatches to a command.
namespace aop::app {
int run_cli(int argc, char** argv);
}
