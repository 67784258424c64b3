#include "address_matching.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <map>

namespace tmfd::geographic_address {

namespace {

// Weights of agreement for ranking: the street and the place say more than a suffix.
int weight(const std::string& attribute) {
  static const std::map<std::string, int> weights = {
      {"streetName", 8}, {"city", 6}, {"postcode", 6}, {"locality", 4}, {"streetNr", 4},
      {"streetType", 2}, {"country", 2}, {"stateOrProvince", 2}};
  auto it = weights.find(attribute);
  return it == weights.end() ? 1 : it->second;
}

const std::map<std::string, std::string>& street_type_spellings() {
  static const std::map<std::string, std::string> m = {
      {"st", "street"}, {"str", "street"}, {"rd", "road"}, {"ave", "avenue"}, {"av", "avenue"},
      {"blvd", "boulevard"}, {"bd", "boulevard"}, {"dr", "drive"}, {"ln", "lane"}, {"pl", "place"},
      {"sq", "square"}, {"ct", "court"}, {"cres", "crescent"}, {"hwy", "highway"}, {"pde", "parade"},
      {"tce", "terrace"}, {"wy", "way"}};
  return m;
}

std::string text_at(const json::object& o, const std::string& key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The normalised compared attributes an address gives (blank ones left out).
std::map<std::string, std::string> comparable(const json::object& address) {
  std::map<std::string, std::string> out;
  for (const auto& a : compared_attributes()) {
    std::string n = normalise(a, text_at(address, a));
    if (!n.empty()) out.emplace(a, std::move(n));
  }
  return out;
}

std::optional<long> leading_number(const std::string& s) {
  long n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || p == s.data()) return std::nullopt;
  return n;
}

struct Candidate {
  const json::object* address;
  bool agrees_with_all = false;  // no attribute given by the submission differs
  bool same_street = false;      // same street name, and same place (city, locality or postcode)
  bool same_postcode = false;
  bool same_town = false;        // same city or locality
  int score = 0;
  long number_distance = 0;      // |streetNr difference| when both are numbers, else large
};

Candidate assess(const std::map<std::string, std::string>& wanted, const json::object& stored) {
  const auto have = comparable(stored);
  Candidate c{&stored};
  c.agrees_with_all = true;
  auto same = [&](const char* a) {
    auto w = wanted.find(a);
    auto h = have.find(a);
    return w != wanted.end() && h != have.end() && w->second == h->second;
  };
  for (const auto& [attribute, value] : wanted) {
    auto h = have.find(attribute);
    if (h != have.end() && h->second == value) {
      c.score += weight(attribute);
    } else {
      c.agrees_with_all = false;
      if (h != have.end()) c.score -= 1;  // a stated difference counts against
    }
  }
  const bool same_place = same("city") || same("locality") || same("postcode");
  c.same_street = same("streetName") && same_place;
  c.same_postcode = same("postcode");
  c.same_town = same("city") || same("locality");
  c.number_distance = 1'000'000;
  if (auto w = wanted.find("streetNr"); w != wanted.end())
    if (auto h = have.find("streetNr"); h != have.end())
      if (auto a = leading_number(w->second), b = leading_number(h->second); a && b) c.number_distance = std::labs(*a - *b);
  return c;
}

std::vector<json::object> best(std::vector<Candidate> candidates, std::size_t max) {
  std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.number_distance < b.number_distance;
  });
  std::vector<json::object> out;
  for (const auto& c : candidates) {
    if (out.size() >= max) break;
    out.push_back(*c.address);
  }
  return out;
}

} // namespace

const std::vector<std::string>& compared_attributes() {
  static const std::vector<std::string> attributes = {
      "streetNr", "streetNrSuffix", "streetNrLast", "streetNrLastSuffix", "streetName", "streetType",
      "streetSuffix", "locality", "city", "stateOrProvince", "postcode", "country"};
  return attributes;
}

std::string normalise(const std::string& attribute, std::string_view value) {
  std::string out;
  bool space = false;
  for (unsigned char ch : value) {
    if (std::isalnum(ch) || ch >= 0x80) {  // letters beyond ASCII are kept as they are
      if (space && !out.empty()) out += ' ';
      space = false;
      out += static_cast<char>(std::tolower(ch));
    } else {
      space = true;  // spaces and punctuation separate words, nothing more
    }
  }
  if (attribute == "postcode") std::erase(out, ' ');
  if (attribute == "streetType")
    if (auto it = street_type_spellings().find(out); it != street_type_spellings().end()) out = it->second;
  return out;
}

std::string to_string(Verdict v) {
  switch (v) {
    case Verdict::success: return "success";
    case Verdict::partial: return "partial";
    case Verdict::fails: return "fails";
  }
  return "fails";
}

bool locatable(const json::object& submitted) {
  const auto given = comparable(submitted);
  return given.count("streetName") || given.count("locality") || given.count("city") || given.count("postcode");
}

Outcome compare(const json::object& submitted, const std::vector<json::object>& stored, std::size_t max_alternates) {
  const auto wanted = comparable(submitted);
  std::vector<Candidate> exact, close, town;
  for (const auto& address : stored) {
    Candidate c = assess(wanted, address);
    if (c.agrees_with_all) exact.push_back(c);
    else if (c.same_street || c.same_postcode) close.push_back(c);
    else if (c.same_town) town.push_back(c);
  }
  const bool names_an_address =
      wanted.count("streetName") && (wanted.count("city") || wanted.count("locality") || wanted.count("postcode"));

  Outcome out;
  if (exact.size() == 1 && names_an_address) {
    out.verdict = Verdict::success;
    out.valid = *exact.front().address;
    return out;
  }
  if (!exact.empty() || !close.empty()) {
    out.verdict = Verdict::partial;
    exact.insert(exact.end(), close.begin(), close.end());
    out.alternates = best(std::move(exact), max_alternates);
    return out;
  }
  out.verdict = Verdict::fails;
  out.alternates = best(std::move(town), max_alternates);
  return out;
}

} // namespace tmfd::geographic_address
