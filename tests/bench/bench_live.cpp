// bench_live.cpp - the live bridge against Postfix's smtp-sink, same run, same load: smtp-source
// sends 20,000 messages of 1 KB over 10 parallel sessions, once reusing sessions (-d) and once with
// one message per session. The bridge runs tests/bench/bench_live.yaml (one exposed MX that is the
// MDA of its domain, no link latency, --speed 1) with the full engine, spool and trace recording
// on, and the benchmark checks that every message sent was stored. Last line:
//   bench_live: bridge/smtp-sink <ratio> (session reuse), <ratio> (one per session)
// Usage: bench_live [MESSAGES] (default 20000). Needs smtp-source and smtp-sink (Debian: postfix).
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// Child - a spawned program with its stdout on a pipe.
struct Child {
  pid_t pid = -1;
  int out = -1;
};

// spawn - start argv[0] (PATH searched) with stdout piped (stderr inherited).
Child spawn(const std::vector<std::string>& args) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

// read_line - one line from fd (without the newline); "" at EOF.
std::string read_line(int fd) {
  std::string line;
  char c;
  while (read(fd, &c, 1) == 1 && c != '\n') line += c;
  return line;
}

// read_all - everything until EOF.
std::string read_all(int fd) {
  std::string s;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) s.append(buf, std::size_t(n));
  return s;
}

// wait_exit - the child's exit status (-1 when it died of a signal).
int wait_exit(pid_t pid) {
  int st = 0;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

// free_port - a loopback port nobody listens on right now.
int free_port() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  close(s);
  return ntohs(a.sin_port);
}

// have - whether a program is on PATH (or in /usr/sbin, where Debian puts Postfix's tools).
bool have(const std::string& prog) {
  return std::system(("command -v " + prog + " >/dev/null 2>&1").c_str()) == 0;
}

// source - run smtp-source against port; the wall seconds it took (< 0 on failure).
double source(int port, int messages, bool reuse) {
  std::vector<std::string> args = {"smtp-source", "-s", "10", "-m", std::to_string(messages), "-l", "1024",
                                   "-f", "bench@client.example", "-t", "sink@bench.example"};
  if (reuse) args.insert(args.begin() + 1, "-d");
  args.push_back("127.0.0.1:" + std::to_string(port));
  auto t0 = Clock::now();
  Child c = spawn(args);
  read_all(c.out);
  close(c.out);
  int rc = wait_exit(c.pid);
  double s = std::chrono::duration<double>(Clock::now() - t0).count();
  return rc == 0 ? s : -1;
}

// run_sink - smtp-sink's rate (msg/s) for one mode.
double run_sink(int messages, bool reuse) {
  int port = free_port();
  std::vector<std::string> args = {"smtp-sink"};
  if (geteuid() == 0) args.insert(args.end(), {"-u", "nobody"});
  args.insert(args.end(), {"127.0.0.1:" + std::to_string(port), "256"});
  Child sink = spawn(args);
  usleep(300000);
  double s = source(port, messages, reuse);
  kill(sink.pid, SIGTERM);
  close(sink.out);
  wait_exit(sink.pid);
  return s > 0 ? messages / s : 0;
}

// run_bridge - the bridge's rate (msg/s) for one mode; `stored` gets what its mailboxes hold.
double run_bridge(const std::string& smtpsim, const std::string& lesson, int messages, bool reuse, long& stored) {
  Child b = spawn({smtpsim, "live", lesson, "--expose", "mx.bench.example:25=127.0.0.1:0", "--speed", "1",
                   "--max-connections", "1000"});
  std::string ready = read_line(b.out);
  if (ready.rfind("ready", 0) != 0) {
    std::fprintf(stderr, "bench_live: smtpsim live did not get ready: %s\n", ready.c_str());
    kill(b.pid, SIGKILL);
    wait_exit(b.pid);
    return 0;
  }
  int port = std::atoi(ready.substr(ready.rfind(':') + 1).c_str());
  double s = source(port, messages, reuse);
  usleep(200000);  // the last sessions' QUIT
  kill(b.pid, SIGTERM);
  std::string report = read_all(b.out);
  close(b.out);
  wait_exit(b.pid);
  stored = -1;
  auto at = report.find("stored in mailboxes: ");
  if (at != std::string::npos) stored = std::atol(report.c_str() + at + 21);
  return s > 0 ? messages / s : 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int messages = argc > 1 ? std::atoi(argv[1]) : 20000;
  for (const char* p : {"smtp-source", "smtp-sink"})
    if (!have(p)) {
      std::printf("bench_live: skipped: %s is not installed (Debian package postfix)\n", p);
      return 0;
    }
  setenv("PATH", (std::string(std::getenv("PATH") ? std::getenv("PATH") : "") + ":/usr/sbin").c_str(), 1);
  const std::string smtpsim = SMTPSIM_EXE;
  const std::string lesson = std::string(SMTPSIM_SOURCE_DIR) + "/tests/bench/bench_live.yaml";
  double ratio[2] = {0, 0};
  bool ok = true;
  for (int mode = 0; mode < 2; ++mode) {
    const bool reuse = mode == 0;
    const char* name = reuse ? "session reuse" : "one per session";
    double sink = run_sink(messages, reuse);
    long stored = 0;
    double bridge = run_bridge(smtpsim, lesson, messages, reuse, stored);
    ratio[mode] = sink > 0 ? bridge / sink : 0;
    std::printf("%-16s smtp-sink %8.0f msg/s   bridge %8.0f msg/s   ratio %.2f   stored %ld of %d\n", name, sink,
                bridge, ratio[mode], stored, messages);
    if (stored != messages) ok = false;
  }
  std::printf("bench_live: bridge/smtp-sink %.2f (session reuse), %.2f (one per session)\n", ratio[0], ratio[1]);
  if (!ok) std::fprintf(stderr, "bench_live: not every message sent was stored\n");
  return ok ? 0 : 1;
}
