# Rendered by Abri: the mailbox's out-of-office reply (changes here are overwritten).
require ["vacation", "date", "relational"];
vacation :days 7 :subject "Away until Monday"
  "Hello,

I am away until Monday.
Joe";
