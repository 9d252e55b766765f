/* combine.c - see combine.h. */
#include "combine.h"

#include <stdlib.h>

/* One item of a v1 List, each line indented into "items". Its last line is left
 * open: the separator (",\n") or the end ("\n") closes it. JSON strings hold no raw
 * newline, so every newline is a line of the object. */
static void list_item(struct strbuf *out, const char *text, size_t len)
{
	for (size_t s = 0; s < len;) {
		size_t e = s;
		while (e < len && text[e] != '\n')
			e++;
		strbuf_add(out, "        ", 8);
		strbuf_add(out, text + s, e - s);
		if (e + 1 < len)
			strbuf_add(out, "\n", 1);
		s = e + 1;
	}
}

static void json_item(struct combine *c, const char *text, size_t len)
{
	if (c->fmt == COMBINE_JSON_LIST)
		list_item(c->out, text, len);
	else
		strbuf_add(c->out, text, len);
}

void combine_begin(struct combine *c, enum combine_format fmt, struct strbuf *out)
{
	*c = (struct combine){.fmt = fmt, .out = out};
}

/* JSON: the opening and the held first result are written when the second arrives. */
void combine_add(struct combine *c, const char *text, size_t len)
{
	size_t i = c->n++;
	switch (c->fmt) {
	case COMBINE_YAML:
	case COMBINE_TEXT:
		if (i)
			strbuf_str(c->out, c->fmt == COMBINE_YAML ? "---\n" : "\n");
		strbuf_add(c->out, text, len);
		return;
	case COMBINE_JSON_LIST:
	case COMBINE_JSON_ARRAY:
		if (i == 0) {
			strbuf_add(&c->first, text, len);
			return;
		}
		if (i == 1) {
			strbuf_str(c->out, c->fmt == COMBINE_JSON_LIST
					   ? "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n" : "[\n");
			json_item(c, c->first.p, c->first.len);
			free(c->first.p);
			c->first = (struct strbuf){0};
		}
		strbuf_add(c->out, ",\n", 2);
		json_item(c, text, len);
		return;
	}
}

void combine_end(struct combine *c)
{
	if (c->fmt != COMBINE_JSON_LIST && c->fmt != COMBINE_JSON_ARRAY)
		return;
	if (c->n == 1) {
		strbuf_add(c->out, c->first.p, c->first.len);
		free(c->first.p);
		c->first = (struct strbuf){0};
	} else if (c->n > 1) {
		strbuf_str(c->out, c->fmt == COMBINE_JSON_LIST ? "\n    ],\n    \"kind\": \"List\"\n}\n" : "]\n");
	}
}
