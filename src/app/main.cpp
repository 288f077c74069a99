#include "app/cli.hpp"

int main(int argc, char** argv) { return aop::app::run_cli(argc, argv); }
