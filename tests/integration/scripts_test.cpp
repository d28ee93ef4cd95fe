// The project's own scripts that a new machine meets first: scripts/check-node.sh (run by
// scripts/install-deps.sh), against stand-in `node` binaries of chosen versions.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "support/subprocess.hpp"

namespace ec2m::testing {
namespace {

// A `node` that prints `version` for --version.
std::string FakeNode(const TempDir& dir, const std::string& version) {
  const std::string path = dir.path() + "/node-" + version;
  std::ofstream(path) << "#!/bin/sh\necho " << version << "\n";
  chmod(path.c_str(), 0755);
  return path;
}

CommandResult CheckNode(const std::string& node) {
  return RunCommand({"bash", std::string(EC2M_SOURCE_DIR) + "/scripts/check-node.sh"},
                    {{"NODE", node}});
}

TEST(CheckNodeTest, DebiansNode18IsRefusedSayingWhatToDo) {
  TempDir dir;
  CommandResult old = CheckNode(FakeNode(dir, "v18.19.0"));
  EXPECT_EQ(old.exit_code, 1);
  EXPECT_NE(old.err.find("Node.js 18.19.0 is too old for the console: it needs 20.19.0"),
            std::string::npos)
      << old.err;
  EXPECT_NE(old.err.find("nvm install"), std::string::npos) << old.err;
  EXPECT_NE(old.err.find("NodeSource"), std::string::npos) << old.err;

  CommandResult missing = CheckNode(dir.path() + "/no-such-node");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("Node.js not found"), std::string::npos) << missing.err;
}

TEST(CheckNodeTest, TheVersionTheConsoleNamesAndNewerPass) {
  TempDir dir;
  for (const char* version : {"v20.19.0", "v20.20.2", "v22.12.0", "v24.1.0"}) {
    CommandResult ok = CheckNode(FakeNode(dir, version));
    EXPECT_EQ(ok.exit_code, 0) << version << ": " << ok.err;
  }
  EXPECT_EQ(CheckNode(FakeNode(dir, "v20.18.9")).exit_code, 1);
}

}  // namespace
}  // namespace ec2m::testing
