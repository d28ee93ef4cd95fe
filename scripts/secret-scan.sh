#!/usr/bin/env bash
# Fails if a tracked file (or an untracked file that .gitignore does not ignore) holds a secret:
#   aws-access-key-id       AKIA/ASIA followed by 16 upper-case letters or digits
#   aws-secret-access-key   aws_secret_access_key / SecretAccessKey = a 40-character value
#   private-key             a PEM or OpenSSH private key block
#   password-assignment     password/passwd/passphrase/client_secret/api_key set to a literal
#                           (quoted anywhere; unquoted where the file's syntax allows it:
#                           NAME=v in shell and .env, NAME: v in yaml, NAME = v in ini/conf/toml);
#                           not applied to test code (*_test.cpp, tests/), whose passwords are
#                           fixtures, nor to values that refer elsewhere ($VAR, ${{ ... }}, <...>)
#   slack-webhook, github-token
#   sensitive-file          files named .env, *.pem, *.key, *.p12, *.pfx, *.jks, id_rsa, ...
# Values containing EXAMPLE (AWS's documented example credentials) never count.
#
# Exemptions, in .secret-scan-allow at the repository root, one per line (# starts a comment):
#   GLOB          every finding in matching files ('*' stays within a folder, '**' crosses them)
#   GLOB:REGEX    findings in matching files whose line matches the Perl regex
# and, for a single line, the marker `secret-scan:allow` on that line.
#
# Findings are printed as path:line: [rule] with the value masked; the secret itself never is.
#   scripts/secret-scan.sh [REPO_DIR]     (default: the repository of the current directory)
set -euo pipefail

repo=$(git -C "${1:-.}" rev-parse --show-toplevel)
cd "$repo"

read -r -d '' scanner <<'PERL' || true
use strict;
use warnings;

my ($allow_file) = @ARGV;

sub glob_to_re {
  my ($g) = @_;
  my $re = '';
  while (length $g) {
    if ($g =~ s{^\*\*/}{}) { $re .= '(?:.*/)?'; }
    elsif ($g =~ s{^\*\*}{}) { $re .= '.*'; }
    elsif ($g =~ s{^\*}{}) { $re .= '[^/]*'; }
    elsif ($g =~ s{^\?}{}) { $re .= '[^/]'; }
    else { $g =~ s{^(.)}{}s; $re .= quotemeta($1); }
  }
  return qr{^$re$};
}

my (@allow_files, @allow_lines);
if (open(my $af, '<', $allow_file)) {
  while (my $l = <$af>) {
    chomp $l;
    $l =~ s/^\s+|\s+$//g;
    next if $l eq '' || $l =~ /^#/;
    my ($glob, $regex) = split /:/, $l, 2;
    if (defined $regex && $regex ne '') {
      my $re = eval { qr/$regex/ };
      die "secret-scan: bad regex in $allow_file: $l\n" unless $re;
      push @allow_lines, [glob_to_re($glob), $re];
    } else {
      push @allow_files, glob_to_re($glob);
    }
  }
  close $af;
}

my $pw_keys = qr/[A-Za-z0-9_.-]*?(?:password|passwd|passphrase|client_?secret|api_?key)/i;
my @rules = (
  ['aws-access-key-id', qr/(?<![A-Za-z0-9])(?<v>(?:AKIA|ASIA)[0-9A-Z]{16})(?![A-Za-z0-9])/, 4],
  ['aws-secret-access-key',
   qr/(?i:aws_?secret_?access_?key|secret_?access_?key)["']?\s*(?:[:=]|=>)\s*["']?(?<v>[A-Za-z0-9\/+]{40})(?![A-Za-z0-9\/+])/, 0],
  ['private-key', qr/(?<v>-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)/, -1],
  ['slack-webhook', qr{(?<v>https://hooks\.slack\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]+)}, 30],
  ['github-token', qr/(?<![A-Za-z0-9])(?<v>gh[pousr]_[A-Za-z0-9]{36,})/, 4],
);
my $pw_quoted = qr/(?<![A-Za-z0-9])$pw_keys["']?\s*(?:[:=]|=>)\s*(?<q>["'])(?<v>[^"'\s\$<{%*][^"'\n]{3,}?)\k<q>/;
# Unquoted values, in the syntax of each kind of file that allows them.
my $bare_value = qr/(?<v>[^\s"'\$<{%*#(`][^\s"';#]{3,})/;
my @pw_bare = (
  [qr/(?:\.(?:sh|bash|env)|(?:^|\/)\.env(?:\.[^\/]*)?)$/, qr/(?<![A-Za-z0-9])$pw_keys=$bare_value/],
  [qr/\.ya?ml$/, qr/(?<![A-Za-z0-9])$pw_keys["']?:\s+$bare_value/],
  [qr/\.(?:ini|cfg|conf|properties|toml)$/, qr/(?<![A-Za-z0-9])$pw_keys\s*[:=]\s*$bare_value/],
);
my $test_code = qr/(?:_test\.(?:cpp|hpp|cc|h|ts|tsx|js)|\.(?:test|spec)\.(?:ts|tsx|js))$|^tests\/|(?:^|\/)__tests__\//;
my $sensitive = qr/(?:^|\/)(?:\.env(?:\.(?!example$|sample$|template$)[^\/]+)?|id_(?:rsa|dsa|ecdsa|ed25519)|[^\/]+\.(?:pem|key|p12|pfx|jks|keystore|ppk|tfstate)|\.netrc|\.pgpass|credentials(?:\.json)?)$/;

sub mask {
  my ($v, $keep) = @_;
  return $v if $keep < 0;
  my $shown = substr($v, 0, $keep);
  return $shown . ('*' x (length($v) - $keep)) . ' (' . length($v) . ' chars)';
}

my ($findings, $scanned) = (0, 0);
sub report {
  my ($path, $line, $rule, $what) = @_;
  print "$path:$line: [$rule] $what\n";
  $findings++;
}

local $/ = "\0";
my @paths = <STDIN>;
chomp @paths;
my %seen;
FILE: for my $path (@paths) {
  next if $seen{$path}++;
  next unless -f $path && !-l $path;
  for my $re (@allow_files) { next FILE if $path =~ $re; }
  my @line_allow = map { $_->[1] } grep { $path =~ $_->[0] } @allow_lines;
  $scanned++;
  if ($path =~ $sensitive) { report($path, 0, 'sensitive-file', 'file of a kind that holds keys or credentials'); }
  open(my $fh, '<:raw', $path) or next;
  my $head;
  read($fh, $head, 8192);
  next if defined $head && index($head, "\0") >= 0;  # binary
  seek($fh, 0, 0);
  local $/ = "\n";
  my $check_pw = $path !~ $test_code;
  my ($pw_bare) = map { $_->[1] } grep { $path =~ $_->[0] } @pw_bare;
  my $n = 0;
  LINE: while (my $l = <$fh>) {
    $n++;
    next if index($l, 'secret-scan:allow') >= 0;
    for my $re (@line_allow) { next LINE if $l =~ $re; }
    for my $r (@rules) {
      my ($name, $re, $keep) = @$r;
      while ($l =~ /$re/g) {
        my $v = $+{v};
        next if $v =~ /EXAMPLE/;
        report($path, $n, $name, mask($v, $keep));
      }
    }
    next unless $check_pw;
    my @pw;
    while ($l =~ /$pw_quoted/g) { push @pw, $+{v}; }
    if (!@pw && $pw_bare) { while ($l =~ /$pw_bare/g) { push @pw, $+{v}; } }
    for my $v (@pw) {
      next if $v =~ /EXAMPLE/;
      report($path, $n, 'password-assignment', 'literal value ' . mask($v, 0));
    }
  }
  close $fh;
}
if ($findings) {
  print STDERR "secret-scan: $findings finding(s) in $scanned files. Remove the secret (and rotate it),\n"
    . "secret-scan: or, for a published test vector, add its path to .secret-scan-allow.\n";
  exit 1;
}
print "secret-scan: $scanned files clean\n";
PERL

{ git ls-files -z; git ls-files -z --others --exclude-standard; } |
  perl -e "$scanner" "$repo/.secret-scan-allow"
