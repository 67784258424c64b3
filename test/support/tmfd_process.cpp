#include "tmfd_process.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace tmfd::test {

std::string make_temp_dir() {
  std::string tmpl = "/tmp/tmfd-test-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

void remove_temp_dir(const std::string& dir) {
  if (!std::getenv("TMFD_KEEP_TEST_DIRS")) std::system(("rm -rf '" + dir + "'").c_str());
}

std::string replace_dir_placeholder(std::string yaml, const std::string& dir) {
  for (auto pos = yaml.find("$DIR"); pos != std::string::npos; pos = yaml.find("$DIR")) yaml.replace(pos, 4, dir);
  return yaml;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string TmfdProcess::default_yaml(const std::string& dir, bool enable_party) {
  std::string y = "server:\n  host: 127.0.0.1\n  port: 0\n  threads: 2\n"
                  "storage:\n  path: " + dir + "/tmfd.db\n"
                  "logging:\n  level: info\n  access_log: true\n"
                  "plugins:\n  directory: " TMFD_PLUGIN_DIR "\n";
  if (enable_party) y += "modules:\n  party:\n    enabled: true\n";
  return y;
}

TmfdProcess::TmfdProcess(TmfdOptions options) : dir_(make_temp_dir()) {
  config_path_ = dir_ + "/tmfd.yaml";
  std::string yaml;
  if (!options.full_yaml.empty()) {
    yaml = replace_dir_placeholder(options.full_yaml, dir_);
  } else {
    yaml = default_yaml(dir_, options.enable_party) + options.extra_yaml;
  }
  database_path_ = dir_ + "/tmfd.db";
  if (!options.database_path.empty()) {
    auto wanted = replace_dir_placeholder(options.database_path, dir_);
    for (auto pos = yaml.find(database_path_); pos != std::string::npos; pos = yaml.find(database_path_, pos + wanted.size()))
      yaml.replace(pos, database_path_.size(), wanted);
    database_path_ = wanted;
  }
  environment_ = std::move(options.environment);
  std::ofstream(config_path_) << yaml;
  start();
}

void TmfdProcess::start() {
  const std::string port_file = dir_ + "/port";
  std::remove(port_file.c_str());
  const std::string log_file = dir_ + "/stderr.log";
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    FILE* log = std::fopen(log_file.c_str(), "a");
    if (log) {
      dup2(fileno(log), STDERR_FILENO);
      dup2(fileno(log), STDOUT_FILENO);
    }
    for (const auto& [name, value] : environment_) setenv(name.c_str(), value.c_str(), 1);
    execl(TMFD_BINARY, TMFD_BINARY, "--config", config_path_.c_str(), "--port-file", port_file.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait for the port file (written once the server listens), or for the process to die.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(port_file);
    unsigned port = 0;
    if (in >> port && port > 0) {
      port_ = static_cast<std::uint16_t>(port);
      ports_ = {port_};
      while (in >> port) ports_.push_back(static_cast<std::uint16_t>(port));
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("tmfd exited during start-up:\n" + log_text());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("tmfd did not start listening in 30 s:\n" + log_text());
}

std::string TmfdProcess::log_text() const { return read_text_file(dir_ + "/stderr.log"); }

int TmfdProcess::stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

void TmfdProcess::restart() {
  stop();
  start();
}

TmfdProcess::~TmfdProcess() {
  stop();
  remove_temp_dir(dir_);
}

std::pair<int, std::string> run_tmfd(const std::string& args) {
  std::string cmd = std::string(TMFD_BINARY) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("popen failed");
  std::string out;
  std::array<char, 4096> buf{};
  while (auto n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

} // namespace tmfd::test
