#pragma once

#include <string>

#include "core/error.hpp"

namespace ec2m {

// The whole of the file at `path`, as bytes. Errors: kInvalidArgument "PATH: cannot be read
// (REASON)" — every input file ec2m reads (settings, environment configs, AWS config files) says
// it the same way.
Result<std::string> ReadFile(const std::string& path);

}  // namespace ec2m
