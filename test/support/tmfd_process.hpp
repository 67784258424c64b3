#pragma once
// Runs the real tmfd binary for a test: a temporary folder with its own config and SQLite file,
// port 0, and the port read back from --port-file. Stops it with SIGTERM on destruction.
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tmfd::test {

struct TmfdOptions {
  // YAML appended to the generated config (may override any key of the defaults below).
  std::string extra_yaml;
  // Replaces the whole config when not empty ($DIR is replaced by the temp folder).
  std::string full_yaml;
  bool enable_party = true;
  // Environment variables set for the process (besides the test's own), e.g. TMFD_FAULT_INJECTION.
  std::vector<std::pair<std::string, std::string>> environment;
  // The database file, when not the default `dir`/tmfd.db ($DIR is replaced by the temp folder).
  std::string database_path;
};

class TmfdProcess {
public:
  explicit TmfdProcess(TmfdOptions options = {});
  ~TmfdProcess();
  TmfdProcess(const TmfdProcess&) = delete;
  TmfdProcess& operator=(const TmfdProcess&) = delete;

  std::uint16_t port() const { return port_; }
  // Every listener's port, as the port file lists them: plain HTTP first, then HTTPS.
  const std::vector<std::uint16_t>& ports() const { return ports_; }
  const std::string& dir() const { return dir_; }
  std::string database_path() const { return database_path_; }
  std::string log_text() const;  // everything the process wrote to stderr so far
  // Sends SIGTERM and waits; returns the exit status (or -1 if it did not exit in 20 s).
  int stop();
  // Starts the process again on the same folder and database (a restart).
  void restart();
  pid_t pid() const { return pid_; }

  // Default config text for a folder (exposed for tests that write their own variations).
  static std::string default_yaml(const std::string& dir, bool enable_party);

private:
  void start();
  std::string dir_;
  std::string config_path_;
  std::string database_path_;
  std::vector<std::pair<std::string, std::string>> environment_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::vector<std::uint16_t> ports_;
};

// Runs `tmfd ARGS` to completion and returns {exit code, stdout+stderr}.
std::pair<int, std::string> run_tmfd(const std::string& args);

// A new empty folder under /tmp, for one test's files.
std::string make_temp_dir();

// Removes a folder of make_temp_dir() with what is in it, unless TMFD_KEEP_TEST_DIRS is set.
void remove_temp_dir(const std::string& dir);

// `yaml` with every "$DIR" replaced by `dir` (config texts are written before the folder exists).
std::string replace_dir_placeholder(std::string yaml, const std::string& dir);

// Everything in the file at `path`, or "" when it cannot be read.
std::string read_text_file(const std::string& path);

} // namespace tmfd::test
