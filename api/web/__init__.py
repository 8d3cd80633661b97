"""The web pages: server-rendered Chinese pages for job fairs, enterprises, workstation staff and admins."""
