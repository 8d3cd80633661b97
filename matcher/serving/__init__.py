"""What the API's worker processes share besides the routes: the connection acceptor, the bulk-run queue with
its executor election, and request metrics published across workers. Nothing here imports FastAPI."""
