/* yaml_events.c - the floor for `make bench`: a bare libyaml event parse of a file,
 * nothing built, nothing emitted. sparkc has to read the bytes at least this once. */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv)
{
	FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
	if (!f)
		return 2;
	yaml_parser_t parser;
	yaml_event_t event;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	long events = 0;
	int done = 0;
	while (!done) {
		if (!yaml_parser_parse(&parser, &event))
			return 1;
		done = event.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&event);
		events++;
	}
	yaml_parser_delete(&parser);
	fclose(f);
	printf("%ld events\n", events);
	return 0;
}
