#include "cli/cli.hpp"

#include <cstdio>

namespace ec2m::cli {

int Main(int /*argc*/, char** /*argv*/) {
  std::puts("ec2m");
  return 0;
}

}  // namespace ec2m::cli
