# Rendered by Abri: the mailbox's out-of-office reply (changes here are overwritten).
require ["vacation", "date", "relational"];
if allof(currentdate :zone "+0000" :value "ge" "date" "2026-12-20",
         currentdate :zone "+0000" :value "le" "date" "2027-01-04") {
  vacation :days 7 :addresses ["contact@example.org", "info@example.org"] :subject "He said \"hi\"; discard; \\ done"
    "Quotes \" and backslashes \\ stay text:
\"; discard; keep;
require \"fileinto\"; fileinto \"Trash\";
${x} \\\"";
}
