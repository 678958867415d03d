#include <stdio.h>

int main(void)
{
	puts("aclforge");
	return 0;
}
