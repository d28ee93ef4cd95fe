#include "app/stack_commands.hpp"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/environment.hpp"
#include "stack/compliance.hpp"
#include "stack/template.hpp"

namespace ec2m::app {
namespace {

// Exit code of validate when the config is invalid or not compliant.
constexpr int kInvalid = 1;

struct Loaded {
  config::EnvironmentConfig env;
  std::string text;
  stack::Template t;
};

// CONFIG_DIR/ENV.json read, parsed and resolved; each failure reported on stderr.
std::optional<Loaded> Load(const StackOptions& o) {
  const std::string path = o.config_dir + "/" + o.environment + ".json";
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "ec2m: %s: cannot be read (%s)\n", path.c_str(), std::strerror(errno));
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto env = config::ParseEnvironmentConfig(text.str(), path);
  if (!env) {
    std::fprintf(stderr, "ec2m: %s\n", env.error().message.c_str());
    return std::nullopt;
  }
  if (env->name != o.environment) {
    std::fprintf(stderr, "ec2m: %s: $.environment: expected \"%s\" (the file's name), got \"%s\"\n",
                 path.c_str(), o.environment.c_str(), env->name.c_str());
    return std::nullopt;
  }
  auto t = stack::Synth(*env);
  if (!t) {
    std::fprintf(stderr, "ec2m: %s\n", t.error().message.c_str());
    return std::nullopt;
  }
  return Loaded{std::move(*env), text.str(), std::move(*t)};
}

int Validate(const StackOptions& o) {
  auto loaded = Load(o);
  if (!loaded) {
    return kInvalid;
  }
  auto findings = stack::CheckCompliance(loaded->env, loaded->t, loaded->text);
  for (const stack::Finding& f : findings) {
    std::fprintf(stderr, "ec2m: %s: %s (rule %s)\n", f.where.c_str(), f.message.c_str(),
                 f.rule.c_str());
  }
  if (!findings.empty()) {
    std::fprintf(stderr, "ec2m: %s: %zu compliance problem(s)\n", loaded->env.file.c_str(),
                 findings.size());
    return kInvalid;
  }
  std::printf("%s: valid; %zu resources; compliance rules passed: %zu of %zu\n",
              loaded->env.file.c_str(), loaded->t.resources.size(),
              stack::ComplianceRules().size(), stack::ComplianceRules().size());
  return 0;
}

int Synth(const StackOptions& o) {
  auto loaded = Load(o);
  if (!loaded) {
    return kInvalid;
  }
  std::printf("%s\n", loaded->t.ToJson().dump(2).c_str());
  return 0;
}

}  // namespace

void AddStackCommands(CLI::App& app, StackOptions& o, int& exit_code) {
  auto common = [&o](CLI::App* cmd) {
    cmd->add_option("environment", o.environment, "The environment (its config is ENV.json)")
        ->required();
    cmd->add_option("--config-dir", o.config_dir, "Where the environment configs are")
        ->capture_default_str();
  };
  CLI::App* validate = app.add_subcommand(
      "validate", "Check an environment's config: schema, references, compliance rules");
  common(validate);
  validate->callback([&] { exit_code = Validate(o); });
  CLI::App* synth =
      app.add_subcommand("synth", "Print the resources an environment's config resolves to");
  common(synth);
  synth->callback([&] { exit_code = Synth(o); });
}

}  // namespace ec2m::app
