#pragma once

#include <string_view>

namespace ec2m {

// The project's version (CMake's project(VERSION)) and the git commit the binary was built from
// (12 hex digits, "-dirty" when tracked files had changes, "unknown" outside a checkout). Defined
// in a source generated at every build (cmake/version.cmake).
std::string_view BuildVersion();
std::string_view BuildCommit();

}  // namespace ec2m
