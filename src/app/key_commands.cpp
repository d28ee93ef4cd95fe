#include "app/key_commands.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>

#include "auth/keyring.hpp"
#include "auth/secure_random.hpp"
#include "cli/exit_codes.hpp"
#include "core/clock.hpp"

namespace ec2m::app {
namespace {

int Rotate(const KeyOptions& o) {
  if (o.key_file.empty() == o.data_dir.empty()) {
    return cli::ReportError(Error{ErrorCode::kInvalidArgument,
                                  "keys rotate: give --key-file PATH or --data-dir DIR", "", ""});
  }
  const std::string path =
      o.key_file.empty() ? (std::filesystem::path(o.data_dir) / "ec2m.keys").string() : o.key_file;
  auth::SecureRandom random;
  auto id = auth::KeyRing::Rotate(path, random, SystemClock().Now());
  if (!id) {
    return cli::ReportError(id.error());
  }
  std::printf("%s: added key %s; it seals and signs from the next start of ec2m serve\n",
              path.c_str(), id->c_str());
  return 0;
}

}  // namespace

void AddKeyCommands(CLI::App& app, KeyOptions& options, int& exit_code) {
  CLI::App* keys = app.add_subcommand("keys", "Manage the key file that seals secrets at rest");
  keys->require_subcommand(1);
  CLI::App* rotate = keys->add_subcommand(
      "rotate", "Add a fresh key (older keys stay to open what they sealed); server stopped");
  rotate->add_option("--key-file", options.key_file, "The key file (the key_file setting)");
  rotate->add_option("--data-dir", options.data_dir, "The data dir holding ec2m.keys");
  rotate->callback([&options, &exit_code] { exit_code = Rotate(options); });
}

}  // namespace ec2m::app
