A special offer for you, user ${user_id}
