#pragma once
// Role-based access rules: which roles may do which operations on which APIs and resource kinds.
// A rule is one line of text per grant, under the role it grants to (docs/security.md):
//
//   catalog-reader: ["read on productCatalog/*"]
//   customer:       ["read, create, update on productOrder/* where relatedParty = caller"]
//   operator:       ["* on */*"]
//
// Operations are read (list and get), create, update (patch, replace), delete, a named action
// (the route's own operation name, e.g. replayDeadLetters) or `*`. API and kind are glob patterns
// (`*` matches any run of characters, including none). `where relatedParty = caller` restricts the
// grant to resources whose relatedParty names the caller's party.
#include <string>
#include <string_view>
#include <vector>

#include <tmfd/json.hpp>

namespace tmfd::security {

struct Grant {
  std::vector<std::string> operations;
  std::string api;
  std::string kind;
  bool own_party_only = false;
};

// What one request is, in the rules' terms.
struct Action {
  std::string_view api;
  std::string_view kind;
  std::string_view operation;  // the route's own name: list, get, patch, replayDeadLetters, ...
  std::string_view verb;       // read, create, update, delete, or empty for a named action only
};

enum class Decision { Deny, Allow, AllowOwnPartyOnly };

class AccessRules {
public:
  // From the config's `rules` mapping (role -> list of grants). Throws std::invalid_argument
  // ("role 'x': grant 'y': problem").
  static AccessRules parse(const json::object& rules);

  // Allow when an unrestricted grant of any of the roles covers the action; AllowOwnPartyOnly
  // when only restricted ones do.
  Decision decide(const std::vector<std::string>& roles, const Action& action) const;

private:
  struct RoleGrants {
    std::string role;
    std::vector<Grant> grants;
  };
  std::vector<RoleGrants> roles_;
};

// Parses one grant. Throws std::invalid_argument naming the problem.
Grant parse_grant(std::string_view text);

// `*` matches any run of characters.
bool glob_matches(std::string_view pattern, std::string_view text) noexcept;

} // namespace tmfd::security
