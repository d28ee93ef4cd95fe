#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ec2m::bench {

// The "--name value" command lines of the bench programs, as a map from name (without "--") to
// value; a later flag replaces an earlier one.
using Flags = std::map<std::string, std::string>;

// nullopt, with `problem` set, when an argument is not of the "--name value" form.
std::optional<Flags> ParseFlags(int argc, char** argv, std::string& problem);

// Takes flag `name` out of `flags` as a positive number into `out` (left as is when absent).
// Returns false, with `problem` set, when the value is not a positive number.
bool TakeNumber(Flags& flags, const std::string& name, double& out, std::string& problem);

// Takes flag `name` out of `flags`; `fallback` when absent.
std::string Take(Flags& flags, const std::string& name, const std::string& fallback);

// Prints "PROGRAM: PROBLEM" and the usage text to stderr; returns 2, the bad-usage exit status.
int UsageError(std::string_view program, std::string_view usage, const std::string& problem);

// The whole of a bench program's main(): prints `usage` for a lone --help, reports arguments that
// are not "--name value" pairs as bad usage, else returns run(flags).
int FlagsMain(int argc, char** argv, std::string_view program, std::string_view usage,
              const std::function<int(Flags)>& run);

}  // namespace ec2m::bench
