// cli_harness.hpp - runs the built smtpsim program for the CLI tests: a scratch directory, lesson
// files written into it, the program run through the shell with stdout/stderr/stdin as files.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace clitest {

inline const std::string kBinary = SMTPSIM_BINARY_DIR "/smtpsim";
inline const std::string kSource = SMTPSIM_SOURCE_DIR;

// quote - one shell word, single-quoted.
inline std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// read_file - a whole file ("" when missing).
inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// lines - text split at "\n" (no empty last entry).
inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// Result - what one program run did.
struct Result {
  int status = -1;  // exit status; 128+N when killed by signal N
  std::string out, err;
};

// Scratch - a fresh directory for one test, removed afterwards.
class Scratch {
 public:
  Scratch() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "smtpsim-cli-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  // write - a file in the directory; returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    std::filesystem::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return path(name);
  }

  // run - the program with `args` in this directory; stdin from `input` (empty file when none);
  // `env` is prepended to the command ("SMTPSIM_LESSONS=... ").
  Result run(const std::vector<std::string>& args, const std::string& input = "", const std::string& env = "") {
    ++runs_;
    std::string out = path(".out" + std::to_string(runs_)), err = path(".err" + std::to_string(runs_));
    std::string in = write(".in" + std::to_string(runs_), input);
    std::string cmd = "cd " + quote(dir_.string()) + " && " + env + " " + quote(kBinary);
    for (const auto& a : args) cmd += " " + quote(a);
    cmd += " <" + quote(in) + " >" + quote(out) + " 2>" + quote(err);
    int raw = std::system(cmd.c_str());
    Result r;
    if (raw != -1 && WIFEXITED(raw)) r.status = WEXITSTATUS(raw);
    else if (raw != -1 && WIFSIGNALED(raw)) r.status = 128 + WTERMSIG(raw);
    r.out = read_file(out);
    r.err = read_file(err);
    return r;
  }

  // shell - any shell command in this directory; its exit status and stdout.
  Result shell(const std::string& command) {
    ++runs_;
    std::string out = path(".sh" + std::to_string(runs_));
    std::string cmd = "cd " + quote(dir_.string()) + " && ( " + command + " ) >" + quote(out) + " 2>&1";
    int raw = std::system(cmd.c_str());
    Result r;
    r.status = raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = read_file(out);
    return r;
  }

 private:
  std::filesystem::path dir_;
  int runs_ = 0;
};

// small_lesson - a small network (A's client -> MSA -> Internet -> B's MX -> MDA, POP3 for B) with
// one message; `expect_by` is the delivery deadline, `mx_loss` the loss on the Internet -> MX link.
inline std::string small_lesson(const std::string& expect_by = "10m", const std::string& mx_loss = "0",
                                const std::string& title = "CLI test: one message from A to B") {
  return "lesson:\n"
         "  title: \"" + title + "\"\n"
         "  summary: \"A sends one message to B through its submission server.\"\n"
         "  level: beginner\n"
         "  tags: [cli, test]\n"
         "seed: 7\n"
         "domains:\n"
         "  a.example: { mx: mx.a.example, users: { a: apple } }\n"
         "  b.example: { mx: mx.b.example, users: { b: banana } }\n"
         "hosts:\n"
         "  - { name: client-a,      role: mua,  user: a@a.example, submit: msa.a.example:587 }\n"
         "  - { name: msa.a.example, role: msa,  auth: required }\n"
         "  - { name: mx.a.example,  role: mx,   deliver_to: mda.a.example }\n"
         "  - { name: mda.a.example, role: mda,  mailboxes: [a.example] }\n"
         "  - { name: mx.b.example,  role: mx,   deliver_to: mda.b.example }\n"
         "  - { name: mda.b.example, role: mda,  mailboxes: [b.example] }\n"
         "  - { name: pop.b.example, role: pop3, store: mda.b.example }\n"
         "  - { name: dns,           role: dns }\n"
         "links:\n"
         "  - { between: [client-a, msa.a.example], latency: 5ms }\n"
         "  - { between: [msa.a.example, internet], latency: 10ms }\n"
         "  - { between: [internet, mx.a.example] }\n"
         "  - { between: [mx.a.example, mda.a.example] }\n"
         "  - { between: [internet, mx.b.example], latency: 10ms, loss: " + mx_loss + " }\n"
         "  - { between: [mx.b.example, mda.b.example] }\n"
         "  - { between: [mda.b.example, pop.b.example] }\n"
         "  - { between: [internet, dns], latency: 2ms }\n"
         "send:\n"
         "  - { id: hello, at: 0s, from: a@a.example, to: b@b.example, subject: \"Hello\", body: \"Hi B\" }\n"
         "expect:\n"
         "  - { delivered: b@b.example, message: hello, by: " + expect_by + " }\n"
         "  - { lost: 0 }\n";
}

// has_line - whether some line of `text` contains `part`.
inline bool has_line(const std::string& text, const std::string& part) {
  for (const auto& l : lines(text))
    if (l.find(part) != std::string::npos) return true;
  return false;
}

// with_timeline - the small lesson with a timeline (and no expectation that it could break).
inline std::string with_timeline(const std::string& timeline) {
  std::string l = small_lesson("1h");
  l = l.substr(0, l.find("expect:\n"));
  return l + "timeline:\n" + timeline + "expect:\n  - { lost: 0 }\n";
}

}  // namespace clitest
