#include "flags.hpp"

#include <cstdio>
#include <cstdlib>
#include <utility>

namespace ec2m::bench {

std::optional<Flags> ParseFlags(int argc, char** argv, std::string& problem) {
  Flags flags;
  for (int i = 1; i < argc; i += 2) {
    const std::string_view name = argv[i];
    if (!name.starts_with("--") || i + 1 >= argc) {
      problem = "expected --flag value, got '" + std::string(name) + "'";
      return std::nullopt;
    }
    flags[std::string(name.substr(2))] = argv[i + 1];
  }
  return flags;
}

bool TakeNumber(Flags& flags, const std::string& name, double& out, std::string& problem) {
  const auto it = flags.find(name);
  if (it == flags.end()) {
    return true;
  }
  char* end = nullptr;
  const double v = std::strtod(it->second.c_str(), &end);
  if (end == it->second.c_str() || *end != '\0' || !(v > 0)) {
    problem = "--" + name + ": expected a positive number, got '" + it->second + "'";
    return false;
  }
  out = v;
  flags.erase(it);
  return true;
}

std::string Take(Flags& flags, const std::string& name, const std::string& fallback) {
  const auto it = flags.find(name);
  if (it == flags.end()) {
    return fallback;
  }
  std::string v = it->second;
  flags.erase(it);
  return v;
}

int UsageError(std::string_view program, std::string_view usage, const std::string& problem) {
  std::fprintf(stderr, "%.*s: %s\n%.*s", static_cast<int>(program.size()), program.data(),
               problem.c_str(), static_cast<int>(usage.size()), usage.data());
  return 2;
}

int FlagsMain(int argc, char** argv, std::string_view program, std::string_view usage,
              const std::function<int(Flags)>& run) {
  if (argc == 2 && std::string_view(argv[1]) == "--help") {
    std::fwrite(usage.data(), 1, usage.size(), stdout);
    return 0;
  }
  std::string problem;
  auto flags = ParseFlags(argc, argv, problem);
  if (!flags) {
    return UsageError(program, usage, problem);
  }
  return run(std::move(*flags));
}

}  // namespace ec2m::bench
