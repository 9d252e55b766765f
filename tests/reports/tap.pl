#!/usr/bin/perl
# Reads a TAP stream on stdin with TAP::Parser and prints what it understood as JSON:
# the version, the plan, parse errors, and per test line its number, whether it passed,
# its description and its YAML diagnostics.
use strict;
use warnings;
use JSON::PP;
use Encode qw(decode);
use TAP::Parser;

my $tap = decode('UTF-8', do { local $/; <STDIN> }, Encode::FB_CROAK);
my $parser = TAP::Parser->new({tap => $tap});
my (@tests, @unknown, $plan);
while (my $r = $parser->next) {
	if ($r->is_plan) {
		$plan = $r->tests_planned;
	} elsif ($r->is_test) {
		push @tests, {number => $r->number + 0, ok => $r->is_ok ? JSON::PP::true : JSON::PP::false,
			      description => $r->description, yaml => undef};
	} elsif ($r->is_yaml) {
		die "a YAML block before any test\n" unless @tests;
		$tests[-1]{yaml} = $r->data;
	} elsif ($r->is_unknown) {
		push @unknown, $r->as_string;
	}
}
print JSON::PP->new->utf8->canonical->encode({
	version => $parser->version + 0,
	plan => $plan,
	tests_run => $parser->tests_run + 0,
	parse_errors => [$parser->parse_errors],
	unknown => \@unknown,
	tests => \@tests,
});
