#include "config/yaml_documents.hpp"

#include <algorithm>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace tmfd::config {

namespace {

// Sees a document's events and keeps the furthest input position they mark.
class ProgressWatcher final : public YAML::EventHandler {
public:
  int furthest = -1;
  int first_line = 0;  // 1-based line of the document's first event
  void reset() {
    furthest = -1;
    first_line = 0;
  }

  void OnDocumentStart(const YAML::Mark& m) override { see(m); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { see(m); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { see(m); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string&) override { see(m); }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    see(m);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    see(m);
  }
  void OnMapEnd() override {}

private:
  void see(const YAML::Mark& m) {
    if (first_line == 0) first_line = m.line + 1;
    furthest = std::max(furthest, m.pos);
  }
};

} // namespace

YamlDocuments count_yaml_documents(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  ProgressWatcher watcher;
  YamlDocuments out;
  int done_up_to = -1;
  // One document past the second is read too: a stray token after a document reads as a second,
  // null document and only the next read shows the parser stuck there.
  while (out.count < 3) {
    watcher.reset();
    if (!parser.HandleNextDocument(watcher)) break;
    if (watcher.furthest <= done_up_to) {  // a "document" made of nothing new: stuck
      out.stuck = true;
      out.stuck_line = watcher.first_line;
      break;
    }
    done_up_to = watcher.furthest;
    if (++out.count == 2) out.second_line = watcher.first_line;
  }
  return out;
}

} // namespace tmfd::config
