#pragma once
// How one resource kind is laid out in the database: one table of JSON documents, plus a
// generated column and an index for each attribute the kind declares as indexed, so filters on
// those attributes are index look-ups instead of scans.
#include <string>
#include <vector>

namespace tmfd::store {

struct TableSpec {
  std::string name;                        // e.g. r_party_individual
  std::vector<std::string> indexed_paths;  // dotted attribute paths, e.g. "status", "a.b"

  // The generated column that holds an indexed path. Derived from the path itself (not its
  // position) so that declaring more indexed attributes later keeps existing columns valid.
  static std::string column_for(const std::string& path);
  bool is_indexed(const std::string& path) const {
    for (const auto& p : indexed_paths)
      if (p == path) return true;
    return false;
  }
};

// "a.b" -> the JSON path '$."a"."b"' understood by SQLite's json functions.
std::string json_path(const std::string& dotted);

} // namespace tmfd::store
