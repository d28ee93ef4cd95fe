#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/audit_log.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/store.hpp"

// Who may do what: users, passwords, TOTP MFA, sessions, API tokens, roles, lockout — what the
// original system got from Cognito — kept as store documents so replicas share them.
namespace ec2m::server {

// Roles per environment. viewer < operator < deployer < admin, each allowing everything the
// ones before it do; approver is a viewer who may also approve deployments.
enum class Role { kViewer, kOperator, kDeployer, kApprover, kAdmin };

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
// Whether holding `held` allows an action that needs `needed`.
bool RoleAllows(Role held, Role needed);

// The environment key that grants a role everywhere.
inline constexpr const char* kAllEnvironments = "*";

struct User {
  std::string email;  // lower-cased
  std::string password_hash;
  std::map<std::string, Role> roles;  // environment (or "*") → role
  bool disabled = false;
  std::string created_at;
  // MFA
  bool mfa_enabled = false;
  std::string mfa_secret;          // base32; set once enrolment is confirmed
  std::string mfa_pending_secret;  // between enrol and confirm
  int64_t mfa_last_step = -1;      // the last TOTP step used: a code works once
  std::vector<std::string> recovery_hashes;
  // Lockout
  int failed_logins = 0;
  int64_t locked_until_ms = 0;
  int64_t version = 0;  // of the stored document

  bool admin() const;
  // The role the user holds in `environment` (a "*" role counts), or nullopt.
  std::optional<Role> RoleIn(const std::string& environment) const;
};

// A signed-in caller, found from a bearer token.
struct Principal {
  User user;
  bool api_token = false;  // an API token rather than a session
  std::string token_id;    // API tokens: their id
  bool mfa_verified = false;
  int64_t expires_ms = 0;
};

struct LoginResult {
  std::string token;
  std::string expires_at;
  User user;
};

struct ApiToken {
  std::string id;
  std::string name;
  std::string email;
  std::string created_at;
  std::string expires_at;
  std::string last_used_at;
  std::string token;  // only when just created
};

struct MfaEnrollment {
  std::string secret;
  std::string otpauth_uri;
};

// Thread-safe. Borrows everything; `random` must be a CSPRNG (auth::SecureRandom) outside tests.
// Every sign-in (success and failure), change and API-token use goes to the audit log.
class Identity {
 public:
  static constexpr int kMaxFailedLogins = 5;
  static constexpr int64_t kLockoutMs = 15 * 60 * 1000;
  static constexpr int64_t kSessionMs = 12 * 60 * 60 * 1000;
  // How long an authenticated token is trusted without reading the store again: the bound on
  // how late another replica sees a logout, a revocation or a role change.
  static constexpr int64_t kCacheMs = 5000;

  Identity(Store& store, audit::AuditLog& audit, const Clock& clock, Random& random)
      : store_(store), audit_(audit), clock_(clock), random_(random) {}

  // Creates `email` as global admin with a generated password when there are no users yet, and
  // returns that password (nullopt when users exist).
  Result<std::optional<std::string>> EnsureFirstAdmin(const std::string& email);

  // Errors: kUnauthenticated "invalid email or password" (also for unknown and disabled users),
  // "otp: an MFA code is required" / "otp: the code is not valid" for MFA users, "too many
  // failed sign-ins: locked until TIME" after kMaxFailedLogins failures in a row.
  Result<LoginResult> Login(const std::string& email, const std::string& password,
                            const std::string& otp, const std::string& source);
  Result<std::shared_ptr<const Principal>> Authenticate(const std::string& bearer,
                                                        const std::string& source);
  Result<void> Logout(const std::string& bearer, const Principal& who, const std::string& source);

  // Self sign-up as viewer in `environments` (those whose config allows it).
  Result<User> SignUp(const std::string& email, const std::string& password,
                      const std::vector<std::string>& environments, const std::string& source);

  Result<std::vector<User>> ListUsers();
  Result<User> GetUser(const std::string& email);
  // An empty password makes a generated one, returned in `generated`.
  Result<User> CreateUser(const std::string& email, const std::string& password,
                          const std::map<std::string, Role>& roles, const Principal& who,
                          const std::string& source, std::string* generated);
  Result<User> UpdateUser(const std::string& email,
                          const std::optional<std::map<std::string, Role>>& roles,
                          std::optional<bool> disabled, const Principal& who,
                          const std::string& source);
  Result<void> DeleteUser(const std::string& email, const Principal& who,
                          const std::string& source);
  Result<void> ChangePassword(const Principal& who, const std::string& current,
                              const std::string& next, const std::string& source);

  Result<MfaEnrollment> BeginMfa(const Principal& who, const std::string& source);
  // Turns MFA on; returns the recovery codes (shown once) and marks the session MFA-verified.
  Result<std::vector<std::string>> ConfirmMfa(const Principal& who, const std::string& bearer,
                                              const std::string& otp, const std::string& source);

  Result<ApiToken> CreateToken(const Principal& who, const std::string& name, int64_t days,
                               const std::string& source);
  Result<std::vector<ApiToken>> ListTokens(const Principal& who);
  Result<void> RevokeToken(const Principal& who, const std::string& id, const std::string& source);

  // Empties the authentication cache (tests; a replica told of a change).
  void ForgetCached();

 private:
  struct Cached {
    std::shared_ptr<const Principal> principal;  // shared, not copied, by each request
    int64_t until_ms;
  };
  int64_t NowMs() const { return ToUnixMillis(clock_.Now()); }
  Result<std::optional<User>> Load(const std::string& email);
  Result<User> Save(User user);
  // Stores a new user (version 0: must not exist). Errors: kAlreadyExists naming the email.
  Result<User> Create(const std::string& email, const std::string& password,
                      const std::map<std::string, Role>& roles);
  void Audit(const std::string& actor, const std::string& action, const std::string& target,
             const std::string& source, const std::string& result, const std::string& detail);
  // Checks a TOTP code or a recovery code against `user`, consuming it. Returns false if neither.
  bool ConsumeSecondFactor(User& user, const std::string& code);
  void Forget(const std::string& token_hash);
  // A real argon2id hash to check wrong passwords of unknown users against.
  const std::string& DummyHash();

  Store& store_;
  audit::AuditLog& audit_;
  const Clock& clock_;
  Random& random_;
  std::mutex mu_;
  std::unordered_map<std::string, Cached> cache_;  // token hash → principal; guarded by mu_
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

// The user as the REST API shows it (no secrets).
nlohmann::json UserToJson(const User& user);
nlohmann::json TokenToJson(const ApiToken& token);

}  // namespace ec2m::server
