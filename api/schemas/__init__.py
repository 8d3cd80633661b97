"""Pydantic request and response models: separate Create, Update and Public shapes per resource."""
