// FFmpeg's log callback for camwall: each message is formatted into a
// buffer on the stack and handed to Go with the object it is about and that
// object's parents. go-astiav's own callback (v0.42.0) formats with
// vasprintf and never frees the result, which leaks every line FFmpeg logs:
// about 10 KiB per garbage-fed decoder, without end, on a wall that runs for
// months.

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include <libavutil/log.h>

#include "ffmpeg_log.h"

extern void camwallLog(void *ptr, void *parent1, void *parent2, void *parent3, int level, char *class_name, char *msg);

// The object ptr's parent for logging (AVClass.parent_log_context_offset),
// or NULL.
static void *camwall_log_parent(void *ptr) {
	if (!ptr) return NULL;
	const AVClass *c = *(const AVClass **)ptr;
	if (!c || !c->parent_log_context_offset) return NULL;
	void *parent = *(void **)((uint8_t *)ptr + c->parent_log_context_offset);
	if (!parent || !*(const AVClass **)parent) return NULL;
	return parent;
}

static void camwall_log_callback(void *ptr, int level, const char *fmt, va_list vl) {
	if (level > av_log_get_level()) return;
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, vl);
	const char *name = NULL;
	if (ptr && *(const AVClass **)ptr) name = (*(const AVClass **)ptr)->class_name;
	void *p1 = camwall_log_parent(ptr);
	void *p2 = camwall_log_parent(p1);
	void *p3 = camwall_log_parent(p2);
	camwallLog(ptr, p1, p2, p3, level, (char *)name, msg);
}

void camwall_set_log_callback(void) { av_log_set_callback(camwall_log_callback); }
