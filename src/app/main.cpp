#include "cli/cli.hpp"

int main(int argc, char** argv) { return ec2m::cli::Main(argc, argv); }
