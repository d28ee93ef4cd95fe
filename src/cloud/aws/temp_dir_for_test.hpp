#pragma once

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

// A fresh directory under the system temp dir, removed with everything in it on destruction.
// Test-only; not thread-safe.
namespace ec2m::aws::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "ec2m-aws-XXXXXX").string();
    path_ = mkdtemp(tmpl.data()) == nullptr ? std::string() : tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

  // Writes `content` to path()/`name` (creating parent dirs) and returns the full path.
  std::string Write(std::string_view name, std::string_view content, bool executable = false) {
    std::filesystem::path p = std::filesystem::path(path_) / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary | std::ios::trunc) << content;
    if (executable) {
      chmod(p.c_str(), 0700);
    }
    return p.string();
  }

 private:
  std::string path_;
};

}  // namespace ec2m::aws::testing
