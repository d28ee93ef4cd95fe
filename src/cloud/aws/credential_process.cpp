#include "cloud/aws/credential_process.hpp"
#include "core/json.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <cerrno>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ec2m::aws {

namespace {

constexpr std::size_t kMaxOutput = 1 << 20;

Unexpected<Error> ProcessError(ErrorCode code, std::string_view profile, std::string_view what) {
  return Fail(code, fmt::format("credential_process of profile '{}': {}", profile, what));
}

// Reads the JSON string member `key`, "" when absent; false when present but not a string.
bool StringMember(const nlohmann::json& obj, const char* key, std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    return true;
  }
  if (!it->is_string()) {
    return false;
  }
  out = it->get<std::string>();
  return true;
}

// Waits for `pid` until `deadline` (it may close stdout and keep running), then kills its group.
// Returns the wait status, or -1; sets `timed_out` when it had to kill.
int WaitUntil(pid_t pid, std::chrono::steady_clock::time_point deadline, bool& timed_out) {
  int status = 0;
  while (true) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      return status;
    }
    if (r < 0 && errno != EINTR) {
      return -1;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      timed_out = true;
      kill(-pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
          return -1;
        }
      }
      return status;
    }
    usleep(2000);
  }
}

struct Captured {
  std::string out;
  bool timed_out = false;
  bool too_big = false;
};

// Reads `fd` until EOF, the deadline or kMaxOutput.
Captured ReadUntil(int fd, std::chrono::steady_clock::time_point deadline) {
  Captured c;
  char buf[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      c.timed_out = true;
      return c;
    }
    pollfd p{fd, POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) {
      continue;
    }
    if (r == 0) {
      c.timed_out = true;
      return c;
    }
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return c;
    }
    c.out.append(buf, static_cast<std::size_t>(n));
    if (c.out.size() > kMaxOutput) {
      c.too_big = true;
      return c;
    }
  }
}

}  // namespace

Result<ProcessCredentials> ParseCredentialProcessOutput(std::string_view output,
                                                        std::string_view profile) {
  // Parse without exceptions: nlohmann's parse_error text quotes the input, which holds secrets.
  nlohmann::json doc = ParseJsonOrDiscard(output);
  if (doc.is_discarded() || !doc.is_object()) {
    return ProcessError(ErrorCode::kUnauthenticated, profile, "output is not a JSON object");
  }
  auto version = doc.find("Version");
  if (version == doc.end() || !version->is_number_integer() || version->get<long long>() != 1) {
    return ProcessError(ErrorCode::kUnauthenticated, profile,
                        "output has no \"Version\": 1 (the only version defined)");
  }
  ProcessCredentials pc;
  if (!StringMember(doc, "AccessKeyId", pc.credentials.access_key_id) ||
      !StringMember(doc, "SecretAccessKey", pc.credentials.secret_access_key) ||
      !StringMember(doc, "SessionToken", pc.credentials.session_token) ||
      !StringMember(doc, "Expiration", pc.expiration)) {
    return ProcessError(
        ErrorCode::kUnauthenticated, profile,
        "AccessKeyId, SecretAccessKey, SessionToken and Expiration must be strings");
  }
  if (pc.credentials.access_key_id.empty() || pc.credentials.secret_access_key.empty()) {
    return ProcessError(ErrorCode::kUnauthenticated, profile,
                        "output lacks AccessKeyId or SecretAccessKey");
  }
  return pc;
}

Result<ProcessCredentials> RunCredentialProcess(std::string_view command, std::string_view profile,
                                                std::chrono::milliseconds timeout) {
  const std::string cmd(command);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return ProcessError(ErrorCode::kUnauthenticated, profile, "cannot create a pipe");
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return ProcessError(ErrorCode::kUnauthenticated, profile, "cannot fork");
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    setpgid(0, 0);  // its own group, so a timeout kills the command's children too
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) {
      dup2(devnull, STDIN_FILENO);
    }
    dup2(fds[1], STDOUT_FILENO);
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  setpgid(pid, pid);  // also from the parent, so the group exists before any kill below
  Captured captured = ReadUntil(fds[0], deadline);
  close(fds[0]);
  if (captured.timed_out || captured.too_big) {
    kill(-pid, SIGKILL);
  }
  int status = WaitUntil(pid, deadline, captured.timed_out);
  if (captured.timed_out) {
    return ProcessError(ErrorCode::kTimeout, profile,
                        fmt::format("did not finish within {} ms and was killed", timeout.count()));
  }
  if (captured.too_big) {
    return ProcessError(ErrorCode::kUnauthenticated, profile,
                        fmt::format("printed more than {} bytes", kMaxOutput));
  }
  if (status < 0) {
    return ProcessError(ErrorCode::kUnauthenticated, profile, "cannot wait for the command");
  }
  if (WIFSIGNALED(status)) {
    return ProcessError(ErrorCode::kUnauthenticated, profile,
                        fmt::format("killed by signal {}", WTERMSIG(status)));
  }
  if (WEXITSTATUS(status) != 0) {
    return ProcessError(ErrorCode::kUnauthenticated, profile,
                        fmt::format("exited with status {}", WEXITSTATUS(status)));
  }
  return ParseCredentialProcessOutput(captured.out, profile);
}

}  // namespace ec2m::aws
