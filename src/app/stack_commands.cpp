#include "app/stack_commands.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>

#include "app/environment_cloud.hpp"
#include "config/environment.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "stack/actual.hpp"
#include "stack/compliance.hpp"
#include "stack/plan.hpp"
#include "stack/template.hpp"

namespace ec2m::app {
namespace {

// Exit code of validate when the config is invalid or not compliant, and of any command that
// cannot do its work; diff's when there are changes.
constexpr int kInvalid = 1;
constexpr int kChanges = 2;

struct Loaded {
  config::EnvironmentConfig env;
  std::string text;
  stack::Template t;
};

// CONFIG_DIR/ENV.json read, parsed and resolved; each failure reported on stderr.
std::optional<Loaded> Load(const StackOptions& o) {
  auto file = config::ReadEnvironmentFile(o.config_dir + "/" + o.environment + ".json");
  if (!file) {
    std::fprintf(stderr, "ec2m: %s\n", file.error().message.c_str());
    return std::nullopt;
  }
  auto t = stack::Synth(file->config);
  if (!t) {
    std::fprintf(stderr, "ec2m: %s\n", t.error().message.c_str());
    return std::nullopt;
  }
  return Loaded{std::move(file->config), std::move(file->text), std::move(*t)};
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
              loaded->env.file.c_str(), loaded->t.resources.size(), stack::ComplianceRules().size(),
              stack::ComplianceRules().size());
  return 0;
}

int Diff(const StackOptions& o) {
  auto loaded = Load(o);
  if (!loaded) {
    return kInvalid;
  }
  SystemClock clock;
  DefaultRandom random;
  auto ec2 = ConnectEnvironment(loaded->env, o.endpoint, clock, random);
  if (!ec2) {
    std::fprintf(stderr, "ec2m: %s\n", ec2.error().message.c_str());
    return kInvalid;
  }
  auto actual = stack::ReadActual(**ec2, loaded->env.name);
  if (!actual) {
    std::fprintf(stderr, "ec2m: %s: reading the cloud at %s: %s\n", loaded->env.file.c_str(),
                 (*ec2)->endpoint().c_str(), actual.error().ToString().c_str());
    return kInvalid;
  }
  const stack::Plan plan =
      stack::MakePlan(loaded->t, *actual, {.allow_retained_deletes = o.allow_delete_retained});
  if (o.output == "json") {
    std::printf("%s\n", plan.ToJson().dump(2).c_str());
  } else {
    std::printf("%s", plan.Render().c_str());
  }
  return plan.empty() ? 0 : kChanges;
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
  CLI::App* diff = app.add_subcommand(
      "diff", "Show what provisioning would change (exit 0 nothing, 2 changes, 1 error)");
  common(diff);
  diff->add_option("--endpoint", o.endpoint,
                   "The cloud's EC2 endpoint (sim environments: default http://127.0.0.1:4566)");
  diff->add_option("--output,-o", o.output, "text or json")->check(CLI::IsMember({"text", "json"}));
  diff->add_flag("--allow-delete-retained", o.allow_delete_retained,
                 "Plan deletions of RETAIN resources instead of refusing them");
  diff->callback([&] { exit_code = Diff(o); });
}

}  // namespace ec2m::app
