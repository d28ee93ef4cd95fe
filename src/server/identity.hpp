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
#include "auth/keyring.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/store.hpp"
#include "server/signin_throttle.hpp"

// Who may do what: users, passwords, TOTP MFA, sessions, API tokens, roles, sign-in throttling —
// what the original system got from Cognito — kept as store documents so replicas share them.
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
  // Made when the user is created: sessions and tokens carry it, so those of a deleted user
  // never work for a new user of the same email.
  std::string uid;
  // Grows when the password changes or an admin resets MFA: sessions and tokens of an older
  // epoch no longer work.
  int64_t credential_epoch = 0;
  std::string password_hash;
  std::map<std::string, Role> roles;  // environment (or "*") → role
  bool disabled = false;
  std::string created_at;
  // MFA (the secrets sealed with the key file when stored)
  bool mfa_enabled = false;
  std::string mfa_secret;          // base32; set once enrolment is confirmed
  std::string mfa_pending_secret;  // between enrol and confirm
  int64_t mfa_last_step = -1;      // the last TOTP step used: a code works once
  std::vector<std::string> recovery_hashes;
  // Addresses this user signed in from (→ when, ms), at most kMaxTrustedSources for
  // kTrustedSourceDays: others' failed sign-ins never slow the user down from these.
  std::map<std::string, int64_t> trusted_sources;
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

// A user's sign-in throttling as an admin sees it.
struct SigninState {
  int failed_sign_ins = 0;      // counted failures of the last day
  std::string throttled_until;  // when an unknown address may try again; "" when it may now
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
// Every change commits with its audit entry in one store transaction (AuditLog::Commit): a change
// the audit log cannot record is refused. Sign-ins (success and failure) and API-token use are
// audited too. Sign-in attempts go through a SigninThrottle (no lockout a stranger can cause).
class Identity {
 public:
  static constexpr int64_t kSessionMs = 12 * 60 * 60 * 1000;
  // How long an authenticated token is trusted without reading the store again: the bound on
  // how late another replica sees a logout, a revocation or a role change.
  static constexpr int64_t kCacheMs = 5000;
  static constexpr size_t kMaxTrustedSources = 16;
  static constexpr int64_t kTrustedSourceDays = 30;

  // `keys` seals MFA secrets at rest (null: stored as they are, as in tests).
  Identity(Store& store, audit::AuditLog& audit, const Clock& clock, Random& random,
           const auth::KeyRing* keys = nullptr, ThrottlePolicy throttle = {})
      : store_(store),
        audit_(audit),
        clock_(clock),
        random_(random),
        keys_(keys),
        throttle_(store, clock, throttle) {}

  // Creates `email` as global admin with a generated password when there are no users yet, and
  // returns that password (nullopt when users exist).
  Result<std::optional<std::string>> EnsureFirstAdmin(const std::string& email);

  // Errors: kInvalidArgument for an email that is not one (before anything is read or written);
  // kThrottled "too many sign-in attempts: try again in N s" (the same for every email, known or
  // not); kUnauthenticated "invalid email or password" (unknown, disabled, wrong password);
  // "otp: an MFA code is required" (only after the password was right and nothing throttled)
  // and "otp: the code is not valid" for MFA users.
  Result<LoginResult> Login(const std::string& email, const std::string& password,
                            const std::string& otp, const std::string& source);
  // Errors: kUnauthenticated for a token unknown, expired, revoked (its user's password changed,
  // the user was deleted or re-created) or whose user is disabled.
  Result<std::shared_ptr<const Principal>> Authenticate(const std::string& bearer,
                                                        const std::string& source);
  // Ends a session. With an API token, revokes nothing (DELETE /api/v1/tokens/{id} does).
  Result<void> Logout(const std::string& bearer, const Principal& who, const std::string& source);

  // Self sign-up as viewer in `environments` (those whose config allows it).
  Result<User> SignUp(const std::string& email, const std::string& password,
                      const std::vector<std::string>& environments, const std::string& source);

  Result<std::vector<User>> ListUsers();
  Result<User> GetUser(const std::string& email);
  Result<SigninState> Signins(const std::string& email);
  // An empty password makes a generated one, returned in `generated`.
  Result<User> CreateUser(const std::string& email, const std::string& password,
                          const std::map<std::string, Role>& roles, const Principal& who,
                          const std::string& source, std::string* generated);
  Result<User> UpdateUser(const std::string& email,
                          const std::optional<std::map<std::string, Role>>& roles,
                          std::optional<bool> disabled, const Principal& who,
                          const std::string& source);
  // Deletes the user and every API token of theirs; their sessions stop working at once.
  Result<void> DeleteUser(const std::string& email, const Principal& who,
                          const std::string& source);
  // Changes the caller's password (the current one must be right: throttled like a sign-in) and
  // revokes every session and API token of theirs; returns a new session for the caller.
  // Errors: kPermissionDenied "current: the password is not right"; the policy's.
  Result<LoginResult> ChangePassword(const Principal& who, const std::string& current,
                                     const std::string& next, const std::string& source);

  // MFA enrolment, reset and recovery codes need the current password, and the current code
  // (TOTP or recovery) when MFA is on; an API token made without MFA cannot change MFA.
  // Errors: kPermissionDenied naming what was not right; kFailedPrecondition when MFA is (not) on.
  Result<MfaEnrollment> BeginMfa(const Principal& who, const std::string& password,
                                 const std::string& otp, const std::string& source);
  // Turns MFA on; returns the recovery codes (shown once) and marks the session MFA-verified.
  Result<std::vector<std::string>> ConfirmMfa(const Principal& who, const std::string& bearer,
                                              const std::string& otp, const std::string& source);
  // Turns the caller's MFA off.
  Result<void> DisableMfa(const Principal& who, const std::string& password, const std::string& otp,
                          const std::string& source);
  // New recovery codes, the old ones void.
  Result<std::vector<std::string>> RegenerateRecoveryCodes(const Principal& who,
                                                           const std::string& password,
                                                           const std::string& otp,
                                                           const std::string& source);
  // An admin turns off the MFA of a user who lost their device; that user's sessions and tokens
  // are revoked.
  Result<User> ResetMfa(const std::string& email, const Principal& who, const std::string& source);

  Result<ApiToken> CreateToken(const Principal& who, const std::string& name, int64_t days,
                               const std::string& source);
  Result<std::vector<ApiToken>> ListTokens(const Principal& who);
  Result<void> RevokeToken(const Principal& who, const std::string& id, const std::string& source);

  // The principal of `bearer` when Authenticate has it in memory (and it is still valid), without
  // reading the store; null otherwise. For callers that must not wait (an event loop).
  std::shared_ptr<const Principal> CachedPrincipal(const std::string& bearer);
  // Empties the authentication cache (tests; a replica told of a change).
  void ForgetCached();

 private:
  struct Cached {
    std::shared_ptr<const Principal> principal;  // shared, not copied, by each request
    int64_t until_ms;
  };
  int64_t NowMs() const { return ToUnixMillis(clock_.Now()); }
  // The cached principal of a token (by its hash) still valid at `now`; null otherwise.
  std::shared_ptr<const Principal> Lookup(const std::string& token_hash, int64_t now);
  Result<std::optional<User>> Load(const std::string& email);
  // The user's document as stored (secrets sealed) and back.
  std::string Encode(const User& user);
  Result<User> Decode(const Doc& doc) const;
  // Writes `user` (at its version) and `extra` with `record` in one audited commit; returns the
  // user at its new version.
  Result<User> Commit(User user, const audit::AuditRecord& record,
                      std::vector<DocWrite> extra = {});
  // Stores a new user (version 0: must not exist). Errors: kAlreadyExists naming the email.
  Result<User> Create(const std::string& email, const std::string& password,
                      const std::map<std::string, Role>& roles, const audit::AuditRecord& record);
  void Audit(const std::string& actor, const std::string& action, const std::string& target,
             const std::string& source, const std::string& result, const std::string& detail);
  // Checks a TOTP code or a recovery code against `user`, consuming it. Returns false if neither.
  bool ConsumeSecondFactor(User& user, const std::string& code);
  // The caller proves who they are again: the current password (through the sign-in throttle)
  // and, when MFA is on, a code. Returns the user as stored (the code consumed).
  Result<User> Reauthenticate(const Principal& who, const std::string& password,
                              const std::string& otp, const std::string& source,
                              std::string_view password_field);
  // A new session document for `user`.
  DocWrite NewSession(const User& user, bool mfa, std::string* token, int64_t* expires);
  void Forget(const std::string& token_hash);
  // A real argon2id hash to check wrong passwords of unknown users against.
  const std::string& DummyHash();

  Store& store_;
  audit::AuditLog& audit_;
  const Clock& clock_;
  Random& random_;
  const auth::KeyRing* keys_;
  SigninThrottle throttle_;
  std::mutex mu_;
  std::unordered_map<std::string, Cached> cache_;  // token hash → principal; guarded by mu_
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

// The user as the REST API shows it (no secrets).
nlohmann::json UserToJson(const User& user);
nlohmann::json TokenToJson(const ApiToken& token);

}  // namespace ec2m::server
