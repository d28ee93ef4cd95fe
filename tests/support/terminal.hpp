#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "support/subprocess.hpp"

namespace ec2m::testing {

// Runs argv[0] with a pseudo-terminal as its stdin, stdout and stderr (how a person at a
// terminal runs it), typing `input` (lines ending in '\n') into it. `out` of the result holds
// everything the terminal showed, the echoed input included; `err` stays empty.
CommandResult RunInTerminal(const std::vector<std::string>& argv, const std::string& input,
                            const std::map<std::string, std::string>& env = {},
                            std::chrono::seconds timeout = std::chrono::seconds(120));

}  // namespace ec2m::testing
