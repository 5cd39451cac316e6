// mail_maildir.hpp - a mailbox store on disk in Maildir layout; the only code in sim/ that touches
// the filesystem.
//
// Layout: <root>/<mailbox>/{tmp,new,cur}, plus <root>/<mailbox>/smtpsim-uidnext (the counter that
// keeps UIDs unique after removals). A delivery is written to tmp/ and renamed into new/; the first
// POP3 lock of a session moves new/ to cur/ (adding ":2,"), as Dovecot does. File names are
//     <counter>.<fnv1a64 hex>.<host>,S=<octets on disk>,W=<octets with CRLF>
// with LF line ends on disk (Maildir convention, readable by mutt and friends); reads convert back
// to CRLF. The POP3 UIDL of a file is its name up to the first ',' or ':' (files put there by other
// programs are listed too; a name that is not a legal UIDL gets "x<hash of the name>").
// Nothing depends on the wall clock: names come from the counter and the content hash.
#pragma once
#include <string>

#include "sim/mail/mail_mailbox.hpp"

namespace smtpsim::mail {

class MaildirStore final : public MailboxStore {
 public:
  // MaildirStore - mailboxes under root (created on first delivery); host ends new file names.
  explicit MaildirStore(std::string root, std::string host = "localhost");

  ListResult list(std::string_view mailbox) const override;
  MessagePtr read(std::string_view mailbox, std::string_view uid) const override;
  StoreResult remove(std::string_view mailbox, std::string_view uid) override;
  std::vector<std::string> mailboxes() const override;

  // path_of - the file holding a message now ("" if none): for tests and the inspector.
  std::string path_of(std::string_view mailbox, std::string_view uid) const;
  const std::string& root() const { return root_; }

 protected:
  StoreResult store_message(std::string_view mailbox, std::string canonical) override;
  void on_lock(std::string_view mailbox) override;

 private:
  struct Entry {
    std::string uid;
    std::string path;       // full path of the file
    std::uint64_t order = 0;  // counter parsed from the name (0 if none)
    std::string name;       // file name
    std::uint64_t size = 0;   // octets with CRLF line ends
  };
  // scan - the mailbox's files from new/ and cur/, sorted by delivery order; false on I/O error.
  bool scan(std::string_view mailbox, std::vector<Entry>& out, std::string& error, bool sizes) const;
  std::string dir(std::string_view mailbox) const;

  std::string root_;
  std::string host_;
};

}  // namespace smtpsim::mail
