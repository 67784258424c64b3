#include "access_rules.hpp"

#include <algorithm>
#include <stdexcept>

namespace tmfd::security {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_name(std::string_view s, bool allow_glob) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || (allow_glob && c == '*');
  });
}

bool covers(const Grant& g, const Action& a) {
  if (!glob_matches(g.api, a.api) || !glob_matches(g.kind, a.kind)) return false;
  return std::any_of(g.operations.begin(), g.operations.end(), [&](const std::string& op) {
    return op == "*" || op == a.operation || (!a.verb.empty() && op == a.verb);
  });
}

} // namespace

bool glob_matches(std::string_view pattern, std::string_view text) noexcept {
  // Iterative glob with backtracking to the last star.
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Grant parse_grant(std::string_view text) {
  Grant g;
  std::string_view rest = trim(text);
  constexpr std::string_view kWhere = " where ";
  if (const auto w = rest.find(kWhere); w != std::string_view::npos) {
    const auto condition = trim(rest.substr(w + kWhere.size()));
    if (condition != "relatedParty = caller")
      throw std::invalid_argument("the only condition is 'where relatedParty = caller'");
    g.own_party_only = true;
    rest = trim(rest.substr(0, w));
  }
  constexpr std::string_view kOn = " on ";
  const auto on = rest.find(kOn);
  if (on == std::string_view::npos) throw std::invalid_argument("expected '<operations> on <api>/<kind>'");
  std::string_view ops = trim(rest.substr(0, on));
  const std::string_view target = trim(rest.substr(on + kOn.size()));
  while (!ops.empty()) {
    const auto comma = ops.find(',');
    const auto op = trim(ops.substr(0, comma));
    if (op != "*" && !is_name(op, false)) throw std::invalid_argument("'" + std::string(op) + "' is not an operation");
    g.operations.emplace_back(op);
    if (comma == std::string_view::npos) break;
    ops.remove_prefix(comma + 1);
  }
  if (g.operations.empty()) throw std::invalid_argument("no operation before 'on'");
  const auto slash = target.find('/');
  if (slash == std::string_view::npos) throw std::invalid_argument("expected <api>/<kind> after 'on' (use * for any)");
  g.api = std::string(trim(target.substr(0, slash)));
  g.kind = std::string(trim(target.substr(slash + 1)));
  if (!is_name(g.api, true) || !is_name(g.kind, true))
    throw std::invalid_argument("API and kind are names or patterns with *");
  return g;
}

AccessRules AccessRules::parse(const json::object& rules) {
  AccessRules out;
  for (const auto& [role, grants] : rules) {
    RoleGrants rg{std::string(role), {}};
    if (!grants.is_array()) throw std::invalid_argument("role '" + rg.role + "': expected a list of grants");
    for (const auto& g : grants.as_array()) {
      const std::string text = g.is_string() ? std::string(g.get_string()) : std::string();
      try {
        rg.grants.push_back(parse_grant(text));
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("role '" + rg.role + "': grant '" + text + "': " + e.what());
      }
    }
    out.roles_.push_back(std::move(rg));
  }
  return out;
}

Decision AccessRules::decide(const std::vector<std::string>& roles, const Action& action) const {
  Decision best = Decision::Deny;
  for (const auto& rg : roles_) {
    if (std::find(roles.begin(), roles.end(), rg.role) == roles.end()) continue;
    for (const auto& g : rg.grants) {
      if (!covers(g, action)) continue;
      if (!g.own_party_only) return Decision::Allow;
      best = Decision::AllowOwnPartyOnly;
    }
  }
  return best;
}

} // namespace tmfd::security
