#pragma once

namespace ec2m::cli {

// Runs the `ec2m` command line; returns the process exit code.
int Main(int argc, char** argv);

}  // namespace ec2m::cli
