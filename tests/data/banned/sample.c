/* A fixture for the banned-function check: it must flag lines 6 to 9 and
 * nothing else. strcpy(in a comment) does not count. */
#include <string.h>
void f(char *d, const char *s, char **save)
{
	strcpy(d, s);
	sprintf(d, "%s", s);
	(void)atoi (s);
	mvwprintw(0, 1, 2, s);
	(void)"strcat(in a string)";
	(void)strtok_r(d, ",", save);
	(void)my_strcpy(d, s);
}
