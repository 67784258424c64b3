#pragma once
// Reads the one YAML document of a config file. yaml-cpp 0.7's LoadAll never returns on some
// malformed input (a stray ',' or '}' where a node is expected): its parser reports a null
// document there without consuming anything, and LoadAll asks again, forever, growing memory.
// Documents are therefore counted first with a parser that stops when it makes no progress.
#include <string>

#include <yaml-cpp/yaml.h>

namespace tmfd::config {

struct YamlDocuments {
  int count = 0;          // documents found (counting stops at 3)
  bool stuck = false;     // the parser stopped making progress: a syntax error
  int stuck_line = 0;     // 1-based line where it did
  int second_line = 0;    // 1-based line where a second document starts, when count == 2
};

// Counts the documents in `text`. Throws YAML::Exception for syntax errors yaml-cpp reports.
YamlDocuments count_yaml_documents(const std::string& text);

} // namespace tmfd::config
